//! The spec loader on arbitrary YAML over the built-in spec, as `generate!(extend = …)` loads a
//! merchant's extension: `payermax_spec::load::from_memory`.
//!
//! Input: byte 0 picks what the rest is:
//! - 0: a country file, listed by a fixed extension (`countries: [countries/zz.yaml]`);
//! - 1: a rail file, listed by a fixed extension (`rails: [rails/zz.yaml]`);
//! - 2: the extension file itself; after its first NUL byte, the text of every file it may
//!   list (`countries/zz.yaml`, `rails/zz.yaml`, `zz.yaml`).
//!
//! Oracles: nothing panics, loading stays fast (libFuzzer's timeout); every diagnostic renders;
//! a spec that loads validates payouts for each of its new methods and its code can be
//! generated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payermax_spec::Spec;
use payermax_spec::load::from_memory;
use serde_json::json;

const COUNTRY_EXTENSION: &str = "countries:\n  - countries/zz.yaml\n";
const RAIL_EXTENSION: &str = "rails:\n  - rails/zz.yaml\n";

/// Payout requests for every method of the markets the input added.
fn exercise(spec: &Spec) {
    let _ = spec.counts();
    let added = spec
        .countries
        .iter()
        .chain(&spec.rails)
        .filter(|m| !m.file.starts_with(payermax_spec::load::BUILTIN_PREFIX));
    for market in added {
        for method in &market.def.methods {
            let org = method
                .target_org
                .as_ref()
                .and_then(|t| t.values.first())
                .map(|v| v.value.clone());
            let country = market.def.code.as_ref().map_or("ZZ", |c| c.value.as_str());
            let request = json!({
                "outTradeNo": "fuzz_1",
                "country": country,
                "clearingRail": market.def.rail.as_ref().map(|r| r.value.clone()),
                "trade": {"amount": "10.50", "currency": method.currency.value},
                "payeeInfo": {
                    "paymentMethodType": method.method_type.value,
                    "targetOrg": org,
                    "accountInfo": {"accountNo": "12345678901"},
                    "document": {"documentId": "52998224725"}
                }
            });
            for v in spec.validate_payout(&request) {
                let _ = v.to_string();
            }
            let _ = spec.field_report(&request);
        }
    }
    let tokens = payermax_codegen::generate(spec, &payermax_codegen::SpecSource::Builtin);
    assert!(!tokens.is_empty());
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let result = match mode % 3 {
        0 => from_memory(
            "",
            &["ext.yaml"],
            &[
                ("ext.yaml", COUNTRY_EXTENSION),
                ("countries/zz.yaml", &text),
            ],
        ),
        1 => from_memory(
            "",
            &["ext.yaml"],
            &[("ext.yaml", RAIL_EXTENSION), ("rails/zz.yaml", &text)],
        ),
        _ => {
            let (extension, listed) = text.split_once('\0').unwrap_or((&text, ""));
            from_memory(
                "",
                &["ext.yaml"],
                &[
                    ("ext.yaml", extension),
                    ("countries/zz.yaml", listed),
                    ("rails/zz.yaml", listed),
                    ("zz.yaml", listed),
                ],
            )
        }
    };
    match result {
        Ok(spec) => exercise(&spec),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            for d in diagnostics.iter() {
                let _ = d.to_string();
            }
        }
    }
});
