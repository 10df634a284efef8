-- The payout ledger (PostgreSQL). Records are appended, never changed or removed: triggers
-- refuse UPDATE and DELETE on payouts and events. Claims are coordination, not records.

CREATE TABLE ledger_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ledger_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO ledger_info (id, ledger_id, created_at)
VALUES (1, md5(random()::text || clock_timestamp()::text),
        (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);

CREATE TABLE payouts (
    seq BIGSERIAL PRIMARY KEY,
    out_trade_no TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    payee_key TEXT NOT NULL,
    payee TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    data TEXT NOT NULL,
    batch TEXT,
    source_file TEXT,
    source_line BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX payouts_by_payee ON payouts (payee_key, currency, amount);
CREATE INDEX payouts_by_batch ON payouts (batch, seq);
CREATE INDEX payouts_by_time ON payouts (created_at);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    out_trade_no TEXT NOT NULL REFERENCES payouts (out_trade_no),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT,
    sub_status TEXT,
    trade_no TEXT,
    effective BIGINT NOT NULL DEFAULT 0,
    detail TEXT,
    worker TEXT
);
CREATE INDEX events_by_payout ON events (out_trade_no, id);

CREATE TABLE claims (
    out_trade_no TEXT PRIMARY KEY REFERENCES payouts (out_trade_no),
    worker TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE FUNCTION payermax_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payermax ledger: % rows are never changed or removed', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payouts_append_only BEFORE UPDATE OR DELETE ON payouts
FOR EACH ROW EXECUTE FUNCTION payermax_ledger_append_only();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION payermax_ledger_append_only();
