-- The payout ledger (SQLite). Records are appended, never changed or removed: triggers refuse
-- UPDATE and DELETE on payouts and events. Claims are coordination, not records.

CREATE TABLE ledger_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ledger_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO ledger_info (id, ledger_id, created_at)
VALUES (1, lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- One row per intended payout: what is (to be) sent under the order number.
CREATE TABLE payouts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Everything that happened to a payout, in order: sends, statuses (with their source), errors.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Who is sending which payout right now.
CREATE TABLE claims (
    out_trade_no TEXT PRIMARY KEY REFERENCES payouts (out_trade_no),
    worker TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TRIGGER payouts_append_only_update BEFORE UPDATE ON payouts
BEGIN SELECT RAISE(ABORT, 'payermax ledger: payouts are never changed'); END;
CREATE TRIGGER payouts_append_only_delete BEFORE DELETE ON payouts
BEGIN SELECT RAISE(ABORT, 'payermax ledger: payouts are never removed'); END;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'payermax ledger: events are never changed'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'payermax ledger: events are never removed'); END;
