//! The loader and the semantic checks, on real files: one test per error kind, asserting the
//! exact message and `file:line:column`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use payermax_spec::{Spec, from_root_file};
use std::fs;
use std::path::{Path, PathBuf};

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");

/// Copies the mini spec into a temp dir, applies `edits` (file, from, to), loads it.
fn load_edited(edits: &[(&str, &str, &str)]) -> (tempfile::TempDir, Result<Spec, Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(MINI), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let root = dir.path().join("payermax.yaml");
    let prefix = format!("{}/", dir.path().display());
    let result = from_root_file(&root).map_err(|d| {
        d.iter()
            .map(|d| d.to_string().replace(&prefix, ""))
            .collect()
    });
    (dir, result)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target: PathBuf = to.join(path.file_name().unwrap());
        if path.is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn errors(edits: &[(&str, &str, &str)]) -> Vec<String> {
    match load_edited(edits).1 {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

#[test]
fn mini_spec_loads_and_keeps_norway() {
    let (_dir, spec) = load_edited(&[]);
    let spec = spec.unwrap();
    assert!(
        spec.country("NO").is_some(),
        "plain `code: NO` must stay the string NO"
    );
    let sepa = spec.rail("SEPA").unwrap();
    let listed: Vec<&str> = sepa
        .def
        .countries
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(listed, ["AT", "NO", "DE"]);
    let counts = spec.counts();
    assert_eq!(
        (counts.countries, counts.rails, counts.methods, counts.rules),
        (2, 1, 4, 4)
    );
}

#[test]
fn unknown_key_is_an_error_with_position() {
    let e = errors(&[(
        "countries/br.yaml",
        "    currency: BRL\n    target_org",
        "    currency: BRL\n    curency: BRL\n    target_org",
    )]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("countries/br.yaml:9:5: unknown field `curency`"),
        "{e:?}"
    );
}

#[test]
fn undefined_type() {
    let e = errors(&[("api.yaml", "type: AccountInfo", "type: AcountInfo")]);
    assert_eq!(
        e,
        [
            "api.yaml:54:35: field `accountInfo` has unknown type `AcountInfo` (hint: did you mean `AccountInfo`?)"
        ]
    );
}

#[test]
fn invalid_regex() {
    let e = errors(&[(
        "countries/br.yaml",
        "pattern: '^[0-9]+$'",
        "pattern: '^[0-9+$'",
    )]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("countries/br.yaml:14:18: invalid regex `^[0-9+$`: "),
        "{e:?}"
    );
}

#[test]
fn rule_on_missing_path_suggests_the_closest_field() {
    let e = errors(&[(
        "countries/br.yaml",
        "field: payeeInfo.accountInfo.accountNo",
        "field: payeeInfo.accountInfo.acountNo",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:13:16: rule on `payeeInfo.accountInfo.acountNo`, which the payout request does not have (no `acountNo`) (hint: did you mean `accountNo`? (paths are relative to the `data` of `paymentOrderPay`))"
        ]
    );
}

/// A rule path is resolved once, as both executors read it: through a list it would read
/// nothing, so the checker refuses it at its line (it used to accept it).
#[test]
fn rule_into_a_list_or_under_a_scalar_is_refused() {
    let e = errors(&[
        (
            "api.yaml",
            "      - {name: bankInfo, type: BankInfo}",
            "      - {name: bankInfo, type: BankInfo}\n      - {name: accounts, type: AccountInfo, list: true}",
        ),
        (
            "countries/br.yaml",
            "field: payeeInfo.accountInfo.accountNo",
            "field: payeeInfo.accounts.accountNo",
        ),
    ]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:13:16: rule on `payeeInfo.accounts.accountNo`, which the payout request does not have (no `accountNo`) (hint: `payeeInfo.accounts` is a list: rules cannot reach into its items)"
        ]
    );
    let e = errors(&[(
        "countries/br.yaml",
        "field: payeeInfo.accountInfo.accountNo",
        "field: payeeInfo.accountInfo.accountNo.digits",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:13:16: rule on `payeeInfo.accountInfo.accountNo.digits`, which the payout request does not have (no `digits`) (hint: paths are relative to the `data` of `paymentOrderPay`, e.g. `payeeInfo.accountInfo.accountNo`)"
        ]
    );
}

#[test]
fn duplicate_country() {
    let e = errors(&[(
        "payermax.yaml",
        "  - countries/no.yaml",
        "  - countries/no.yaml\n  - countries/br.yaml",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:1:7: duplicate country `BR` (also in countries/br.yaml) (hint: each country or rail is described by exactly one file)"
        ]
    );
}

#[test]
fn duplicate_method_and_field() {
    let e = errors(&[
        ("countries/br.yaml", "  - id: bank_transfer", "  - id: pix"),
        (
            "api.yaml",
            "      - {name: lastName, type: string, max_len: 64}",
            "      - {name: firstName, type: string, max_len: 64}",
        ),
    ]);
    assert_eq!(
        e,
        [
            "api.yaml:69:16: duplicate field `firstName` in type `Name` (first at line 68)",
            "countries/br.yaml:16:9: duplicate method `pix` (hint: method ids are unique within a file)",
        ]
    );
}

#[test]
fn undeclared_enum_value() {
    let e = errors(&[(
        "countries/br.yaml",
        "type: BANK_TRANSFER",
        "type: BANK_TRANSFR",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:17:11: `BANK_TRANSFR` is not a value of enum `PaymentMethodType` (hint: did you mean `BANK_TRANSFER`?)"
        ]
    );
}

#[test]
fn file_name_disagrees_with_code() {
    let e = errors(&[("countries/no.yaml", "code: NO", "code: SE")]);
    assert_eq!(
        e,
        [
            "countries/no.yaml:2:7: file `no.yaml` describes `SE` (hint: name the file `se.yaml`, or fix the code)"
        ]
    );
}

#[test]
fn method_without_currency_precision() {
    let e = errors(&[("countries/no.yaml", "currency: NOK", "currency: EUR")]);
    assert_eq!(
        e,
        [
            "countries/no.yaml:9:15: method `bank_transfer` pays in EUR but the file gives no precision for it (hint: add `- {code: EUR, decimals: N, source: ...}` under `currencies:`)"
        ]
    );
}

#[test]
fn amount_limits_are_plain_decimals() {
    for bad in ["+5", "1_000", ".5", "5."] {
        let e = errors(&[("countries/br.yaml", "max: '5000'", &format!("max: '{bad}'"))]);
        assert_eq!(
            e,
            [format!(
                "countries/br.yaml:10:32: `{bad}` is not a decimal amount (hint: write amounts as quoted decimals, e.g. '0.01')"
            )],
            "{bad}"
        );
    }
}

#[test]
fn unknown_named_check() {
    let e = errors(&[("rails/sepa.yaml", "check: iban", "check: iabn")]);
    assert_eq!(
        e,
        ["rails/sepa.yaml:15:16: unknown check `iabn` (hint: did you mean `iban`?)"]
    );
}

#[test]
fn all_errors_are_reported_together() {
    let e = errors(&[
        ("countries/no.yaml", "code: NO", "code: SE"),
        ("rails/sepa.yaml", "check: iban", "check: iabn"),
        ("api.yaml", "type: AccountInfo", "type: AcountInfo"),
    ]);
    assert_eq!(e.len(), 3, "{e:?}");
}

#[test]
fn absolute_paths_are_refused() {
    let e = errors(&[("payermax.yaml", "  - countries/no.yaml", "  - /etc/no.yaml")]);
    assert_eq!(
        e,
        [
            "payermax.yaml:7:5: absolute path `/etc/no.yaml` (hint: write the path relative to this file, so the spec builds on any machine)"
        ]
    );
}

#[test]
fn missing_file_names_the_listing_line() {
    let e = errors(&[(
        "payermax.yaml",
        "  - countries/no.yaml",
        "  - countries/nx.yaml",
    )]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with("payermax.yaml:7:5: cannot read `countries/nx.yaml`"),
        "{e:?}"
    );
}

/// Names that would not compile once generated, or would collide, are spec errors at their
/// line (before this check, `generate!()` panicked or rustc failed at the macro call).
#[test]
fn names_that_generated_rust_cannot_use() {
    let e = errors(&[
        // Two fields that both become `last_name`.
        (
            "api.yaml",
            "      - {name: firstName, type: string, max_len: 64}",
            "      - {name: last_name, type: string, max_len: 64}",
        ),
        // A type called like a generated item.
        ("api.yaml", "  - name: BankInfo", "  - name: Client"),
        ("api.yaml", "type: BankInfo}", "type: Client}"),
        // Two enum values that both become `BankTransfer`.
        (
            "api.yaml",
            "      - value: REALTIME_PAYMENT",
            "      - value: bank_transfer",
        ),
        // A method name with a dash, and a second endpoint on the same request type.
        (
            "api.yaml",
            "    fn_name: pay\n    request: PayRequest\n    response: PayResponse\n    idempotency_key: outTradeNo",
            "    fn_name: pay\n    request: PayRequest\n    response: PayResponse\n    idempotency_key: country\n  - api_name: paymentOrderPayAgain\n    fn_name: pay-again\n    request: PayRequest",
        ),
        // A rail that cannot name a module.
        ("rails/sepa.yaml", "rail: SEPA", "rail: SEPA-INST"),
    ]);
    let expected = [
        "api.yaml:18:22: idempotency_key `country`: the SDK resolves payouts by `outTradeNo` only (hint: PayerMax's idempotency key is `outTradeNo` (reference §5.3))",
        "api.yaml:20:14: fn_name `pay-again` cannot name a method of the generated Client (hint: use snake_case (`pay_again`), not one of `new`, `from_runtime`, `runtime`, `verify_notification`, `verify_notice`)",
        "api.yaml:21:14: `PayRequest` is also the request type of `paymentOrderPay`: each endpoint needs a request type of its own (hint: declare a type for this endpoint (it may have the same fields))",
    ];
    for line in expected {
        assert!(e.contains(&line.to_owned()), "missing {line}\nin {e:#?}");
    }
    for fragment in [
        "`Client` becomes the Rust type `Client`, which generated code cannot use",
        "fields `lastName` and `last_name` (line 71) of `Name`",
        "both become `last_name`",
        "values `bank_transfer` and `BANK_TRANSFER`",
        "rail `SEPA-INST` cannot name a Rust module",
    ] {
        assert!(
            e.iter().any(|l| l.contains(fragment)),
            "missing {fragment}\nin {e:#?}"
        );
    }
    // Every one of them says where.
    assert!(
        e.iter().all(|l| l
            .split(':')
            .nth(1)
            .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0))),
        "{e:#?}"
    );
}

#[test]
fn a_currency_has_one_precision_across_files() {
    let e = errors(&[(
        "countries/no.yaml",
        "  - {code: NOK, decimals: 2, source: SUPPORTED}",
        "  - {code: NOK, decimals: 2, source: SUPPORTED}\n  - {code: BRL, decimals: 3, source: SUPPORTED}",
    )]);
    assert_eq!(
        e,
        [
            "countries/no.yaml:6:27: BRL has 3 decimal places here and 2 in countries/br.yaml (hint: a currency has one precision (reference §11); make them agree)"
        ]
    );
}

#[test]
fn the_status_enum_is_read_from_answers() {
    let e = errors(&[(
        "api.yaml",
        "  - name: PayoutStatus\n    direction: response",
        "  - name: PayoutStatus\n    direction: request",
    )]);
    assert_eq!(
        e,
        [
            "api.yaml:86:11: enum `PayoutStatus` is read from PayerMax's answers, so it cannot be `direction: request` (hint: use `direction: response` or `both`)"
        ]
    );
}

#[test]
fn organisation_limits_without_bounds_are_placed_at_the_method() {
    let e = errors(&[(
        "countries/br.yaml",
        "target_org: {required: true, values: [PIX], complete: true}",
        "target_org: {required: true, values: [PIX], complete: true, limits: {CITI: {}}}",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:6:9: limits for `CITI` give neither `min` nor `max` (hint: give a bound, or remove the entry)",
            "countries/br.yaml:6:9: limits for `CITI`, which is not among the method's target_org values",
        ]
    );
}

/// Rule levels (#14 §1): an enforced rule rests on PayerMax's word or a standard; a named
/// check's format on a standard; the level names are checked.
#[test]
fn an_enforced_rule_needs_a_payermax_source_or_a_standard() {
    // A guess that claims to be enforced.
    let e = errors(&[(
        "countries/br.yaml",
        "        pattern: '^[0-9]+$'\n        source: OAS",
        "        pattern: '^[0-9]+$'\n        source: 'a blog post'",
    )]);
    assert_eq!(
        e,
        [
            "countries/br.yaml:13:16: rule on `payeeInfo.accountInfo.accountNo` is enforced but cites only a blog post: an enforced rule needs a PayerMax source or a standard (hint: cite a PayerMax page or file (a `sources:` key naming docs.payermax.com or PayerMax's repositories) or a `standards:` key; if no such source states it, write `level: advise`)"
        ]
    );
    // The same guess, advisory: accepted.
    let (_dir, spec) = load_edited(&[(
        "countries/br.yaml",
        "        pattern: '^[0-9]+$'\n        source: OAS",
        "        pattern: '^[0-9]+$'\n        level: advise\n        source: 'a blog post'",
    )]);
    let spec = spec.unwrap();
    let counts = spec.counts();
    assert_eq!((counts.enforced, counts.advisory), (6, 1));
    // A named check cites the standard it implements, not only the PayerMax page.
    let e = errors(&[(
        "rails/sepa.yaml",
        "source: [SEPA, ISO-13616]",
        "source: SEPA",
    )]);
    assert_eq!(
        e,
        [
            "rails/sepa.yaml:13:16: the check of the rule on `payeeInfo.accountInfo.accountNo` is enforced but cites only SEPA: an enforced rule needs a standard (hint: cite the standard the check implements (a `standards:` key of the API file, e.g. ISO-13616), or write `check_level: advise`)"
        ]
    );
    // An unknown level name, and levels with nothing to apply to.
    let e = errors(&[
        (
            "countries/br.yaml",
            "        pattern: '^[0-9]+$'\n        source: OAS",
            "        pattern: '^[0-9]+$'\n        level: advice\n        check_level: advise\n        source: OAS",
        ),
        (
            "api.yaml",
            "      - {name: bankInfo, type: BankInfo}",
            "      - {name: bankInfo, type: BankInfo, pattern_level: advise}",
        ),
    ]);
    assert_eq!(
        e,
        [
            "api.yaml:55:57: field `bankInfo` has a pattern_level but no pattern (hint: remove pattern_level, or add `pattern:`)",
            "countries/br.yaml:15:16: unknown level `advice` (hint: did you mean `advise`?)",
            "countries/br.yaml:16:22: rule on `payeeInfo.accountInfo.accountNo` has a check_level but no check (hint: remove check_level, or add `check:`)",
        ]
    );
}

/// The built-in spec cites PayerMax's own pages and files (and named standards), never notes
/// outside this repository that a user of the crate cannot see (#14 §2).
#[test]
fn the_built_in_spec_cites_nothing_outside_the_repository() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut files = vec![dir.join("payermax.yaml"), dir.join("api.yaml")];
    for sub in ["countries", "rails"] {
        for entry in fs::read_dir(dir.join(sub)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    assert!(files.len() > 30);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for outside in [
            "shared/reference",
            "payee-rules.md",
            "payee-rules-data",
            "payermax-payout-api.md",
            "additions-2026-12",
        ] {
            assert!(
                !text.contains(outside),
                "{} cites {outside}",
                file.display()
            );
        }
    }
    // Every source key names a PayerMax page or file, or says that it is secondary.
    let spec = payermax_spec::builtin().unwrap();
    for (key, text) in &spec.api.sources {
        assert!(
            text.contains("payermax") || text.contains("third-party") || text.contains("secondary"),
            "{key}: {text}"
        );
    }
    assert!(spec.api.standards.contains_key("ISO-13616"));
}

#[test]
fn other_notifications_name_a_variant_and_a_field_of_their_type() {
    let others = "  ack: {code: SUCCESS, msg: Success}\n  others:\n    - {name: rfi, type: PayResponse, when: {field: statsu, value: X}}\n    - {name: Payout, type: PayResponse, when: {field: status.code, value: X}}\n    - {name: Fine, type: PayResponse, when: {field: status, value: PAYMENT}}\n";
    let e = errors(&[("api.yaml", "  ack: {code: SUCCESS, msg: Success}\n", others)]);
    assert_eq!(
        e,
        [
            "api.yaml:24:14: notification name `rfi` must be an UpperCamelCase identifier (it is a variant of the generated `Notice`) (hint: write `Rfi`)",
            "api.yaml:24:52: `statsu` is not a field of notification type `PayResponse` (no `statsu`) (hint: did you mean `status`?)",
            "api.yaml:25:14: notification `Payout` is defined twice (first at line 21; `Payout` is the payout notification's)",
            "api.yaml:25:55: `status.code` is not a field of notification type `PayResponse` (no `code`)",
        ]
    );
    // A primitive answer (putRfiMaterialList's boolean `data`) is a response type; `amount` is
    // a request format, not one.
    let (_dir, loaded) = load_edited(&[(
        "api.yaml",
        "    response: PayResponse\n",
        "    response: boolean\n",
    )]);
    assert!(loaded.is_ok(), "{loaded:?}");
    let e = errors(&[(
        "api.yaml",
        "    response: PayResponse\n",
        "    response: amount\n",
    )]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("response type `amount` is not a defined type"),
        "{e:?}"
    );
}
