//! The `payermax` binary, run as a user runs it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const MINI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../payermax-spec/tests/fixtures/mini/payermax.yaml"
);

fn payermax(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_payermax"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn spec_check_builtin_prints_a_summary() {
    let out = payermax(&["spec", "check"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.starts_with("spec ok: 7 endpoints, "), "{summary}");
    assert!(summary.contains("rule levels: "), "{summary}");
}

#[test]
fn spec_check_reports_errors_with_location_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root.yaml");
    std::fs::write(&root, "api: api.yaml\ncountries: [countries/xx.yaml]\n").unwrap();
    std::fs::write(dir.path().join("api.yaml"), "environments: []\nbogus: 1\n").unwrap();
    let out = payermax(&["spec", "check", root.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("api.yaml:2:1: unknown field `bogus`"), "{err}");
    assert!(err.contains("root.yaml:2:13: cannot read"), "{err}");
}

#[test]
fn validate_prints_one_line_per_violation() {
    let body = r#"{"outTradeNo":"x","trade":{"amount":"1.001","currency":"BRL"},"payeeInfo":{"accountInfo":{"accountNo":"12a"}}}"#;
    let out = payermax(
        &[
            "validate",
            "--spec",
            MINI,
            "--country",
            "BR",
            "--method",
            "REALTIME_PAYMENT",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "payeeInfo.accountInfo.accountNo: does not match `^[0-9]+$` for BR REALTIME_PAYMENT (pix)\n\
         payeeInfo.targetOrg: is required for BR REALTIME_PAYMENT (pix)\n\
         trade.amount: has 3 decimal places; BRL allows 2\n"
    );
}

/// Advisory rules (#14 §1): printed as warnings, and the exit status is 0 when nothing
/// enforced is broken.
#[test]
fn validate_prints_warnings_and_exits_0_when_only_advisory_rules_break() {
    let body = r#"{"outTradeNo":"mx_1","trade":{"amount":"150","currency":"MXN"},"payeeInfo":{"accountInfo":{"accountNo":"002180700012345678"},"bankInfo":{"bankCode":"BANAMEX"},"name":{"fullName":"José Núñez"}}}"#;
    let out = payermax(
        &["validate", "--country", "MX", "--method", "BANK_TRANSFER"],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "warning: payeeInfo.bankInfo.bankCode: does not match `^[0-9]{3}$` for MX BANK_TRANSFER (bank_transfer) (advisory)\n\
         warning: payeeInfo.name.fullName: does not match `^[A-Za-z ,.\\-]+$` (advisory)\n"
    );
    let out = payermax(
        &[
            "validate",
            "--json",
            "--country",
            "MX",
            "--method",
            "BANK_TRANSFER",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["level"], "advise");
    // One enforced violation more: exit 1, warnings still printed.
    let out = payermax(
        &["validate", "--country", "MX", "--method", "BANK_TRANSFER"],
        Some(&body.replace("\"150\"", "\"150.001\"")),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("trade.amount: has 3 decimal places"));
    assert!(text(&out.stdout).contains("warning: payeeInfo.bankInfo.bankCode"));
}

#[test]
fn validate_json_and_success() {
    let body = r#"{"outTradeNo":"x","trade":{"amount":"1.001","currency":"BRL"},"payeeInfo":{"targetOrg":"PIX","accountInfo":{"accountNo":"12"}}}"#;
    let out = payermax(
        &[
            "validate",
            "--json",
            "--spec",
            MINI,
            "--country",
            "BR",
            "--method",
            "REALTIME_PAYMENT",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["path"], "trade.amount");
    assert_eq!(json[0]["code"], "amount_precision");
    assert_eq!(json[0]["params"]["decimals"], "2");
    let ok = body.replace("1.001", "1.00");
    let out = payermax(
        &[
            "validate",
            "--spec",
            MINI,
            "--country",
            "BR",
            "--method",
            "REALTIME_PAYMENT",
        ],
        Some(&ok),
    );
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
}

#[test]
fn spec_diff_lists_changes() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(MINI).parent().unwrap();
    for f in [
        "payermax.yaml",
        "api.yaml",
        "countries/br.yaml",
        "countries/no.yaml",
        "rails/sepa.yaml",
    ] {
        let to = dir.path().join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(src.join(f), &to).unwrap();
    }
    let br = dir.path().join("countries/br.yaml");
    let text_br = std::fs::read_to_string(&br)
        .unwrap()
        .replace("max: '5000'", "max: '6000'")
        .replace("pattern: '^[0-9]+$'", "pattern: '^[0-9]{11}$'");
    std::fs::write(&br, text_br).unwrap();
    let out = payermax(
        &[
            "spec",
            "diff",
            MINI,
            dir.path().join("payermax.yaml").to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "~ BR/pix: REALTIME_PAYMENT in BRL; targetOrg required PIX; amount 0.01..5000 -> REALTIME_PAYMENT in BRL; targetOrg required PIX; amount 0.01..6000\n\
         ~ BR/pix payeeInfo.accountInfo.accountNo: pattern `^[0-9]+$` -> pattern `^[0-9]{11}$`\n"
    );
}

#[test]
fn spec_docs_is_a_markdown_table() {
    let out = payermax(&["spec", "docs", MINI], None);
    assert!(out.status.success());
    let docs = text(&out.stdout);
    assert!(
        docs.starts_with("| market | method | field | rules | source |\n|---|---|---|---|---|\n"),
        "{docs}"
    );
    assert!(
        docs.contains(
            "| SEPA | sepa | `payeeInfo.accountInfo.accountNo` | required; check iban | SEPA; ISO-13616 |"
        ),
        "{docs}"
    );
}

const OPENSSL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../payermax-runtime/tests/fixtures/openssl"
);

#[test]
fn sign_matches_openssl_and_verify_checks_it() {
    let body = format!("{OPENSSL}/body.json");
    let key = format!("{OPENSSL}/merchant_private_pkcs8.pem");
    let out = payermax(&["sign", "--private-key", &key, &body], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(format!("{OPENSSL}/body.sig.b64")).unwrap();
    assert_eq!(
        text(&out.stdout).trim(),
        expected.trim(),
        "PKCS#1 v1.5 signatures are deterministic"
    );
    let public = format!("{OPENSSL}/merchant_public_dashboard.txt");
    let ok = payermax(
        &[
            "verify",
            "--public-key",
            &public,
            "--sign",
            expected.trim(),
            &body,
        ],
        None,
    );
    assert_eq!(
        (ok.status.code(), text(&ok.stdout)),
        (Some(0), "valid\n".to_owned())
    );
    let tampered = std::fs::read_to_string(&body)
        .unwrap()
        .replacen('1', "2", 1);
    let bad = payermax(
        &["verify", "--public-key", &public, "--sign", expected.trim()],
        Some(&tampered),
    );
    assert_eq!(
        (bad.status.code(), text(&bad.stdout)),
        (Some(1), "invalid\n".to_owned())
    );
}

#[test]
fn keygen_writes_a_pair_that_signs_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let out = payermax(&["keygen", "--out", dir.path().to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let private = dir.path().join("private_key.txt");
    let public = dir.path().join("public_key.txt");
    let line = std::fs::read_to_string(&private).unwrap();
    assert!(
        !line.trim().contains(['\n', '-']),
        "dashboard format is one line of base64"
    );
    let sig = payermax(
        &["sign", "--private-key", private.to_str().unwrap()],
        Some("{\"a\":1}"),
    );
    let sig = text(&sig.stdout);
    let ok = payermax(
        &[
            "verify",
            "--public-key",
            public.to_str().unwrap(),
            "--sign",
            sig.trim(),
        ],
        Some("{\"a\":1}"),
    );
    assert_eq!(text(&ok.stdout), "valid\n");
}

#[test]
fn spec_expand_prints_the_generated_code() {
    let out = payermax(&["spec", "expand", "--spec", MINI], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = text(&out.stdout);
    assert!(
        code.contains("pub struct PayRequest"),
        "{}",
        &code[..code.len().min(400)]
    );
    assert!(code.contains("pub mod br"));
}

/// `payout --extend`: the rows are checked by the built-in spec plus the merchant's countries.
#[test]
fn payout_checks_rows_by_extension_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("zz.csv");
    std::fs::write(
        &csv,
        "outTradeNo,country,trade.amount,trade.currency,payeeInfo.paymentMethodType,payeeInfo.accountInfo.accountNo\nzz_1,ZZ,10.5,ZZD,BANK_TRANSFER,123\n",
    )
    .unwrap();
    let extra = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/extend/extra.yaml"
    );
    let ledger = dir.path().join("ledger.sqlite");
    let args = |extend: bool| {
        let mut args = vec![
            "payout",
            "--csv",
            csv.to_str().unwrap(),
            "--dry-run",
            "--ledger",
            ledger.to_str().unwrap(),
        ];
        if extend {
            args.extend(["--extend", extra]);
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |extend: bool| {
        let args = args(extend);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        payermax(&args, None)
    };
    // Zedland's ZZD has no decimal places.
    let out = run(true);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("trade.amount"), "{stderr}");
    assert!(stderr.contains("ZZD allows 0"), "{stderr}");
    // Without the extension ZZ is not a country the spec describes: the row passes the check
    // (whatever the dry run says next, it is not about the amount's decimals).
    let out = run(false);
    assert!(
        !text(&out.stderr).contains("ZZD allows 0"),
        "{}",
        text(&out.stderr)
    );
}
