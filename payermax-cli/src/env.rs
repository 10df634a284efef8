//! The merchant configuration from `PAYERMAX_*` environment variables, shared by the commands
//! that call PayerMax. No value that could be a secret is ever echoed.

use payermax::runtime::{Config, Environment, Error, RetryPolicy};
use zeroize::Zeroizing;

/// Reads one environment variable: `Ok(None)` when unset or blank.
pub type Lookup<'a> = dyn Fn(&str) -> Result<Option<String>, String> + 'a;

/// The merchant's configuration from `PAYERMAX_*` variables (see the command's help). Every
/// missing or malformed variable is named in the error; key material never appears in it.
pub fn config_from_env(var: &Lookup<'_>, retry: RetryPolicy) -> Result<Config, String> {
    let mut problems = Vec::new();
    let mut required = |name: &str, what: &str| match var(name) {
        Ok(Some(value)) => Some(value),
        Ok(None) => {
            problems.push(format!("{name} is not set: {what}"));
            None
        }
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let merchant_no = required(
        "PAYERMAX_MERCHANT_NO",
        "the merchant number PayerMax issued",
    );
    let app_id = required("PAYERMAX_APP_ID", "the app id PayerMax issued");
    let environment = required(
        "PAYERMAX_ENV",
        "uat, production, or a base URL such as http://127.0.0.1:8080/aggregate-pay/api/gateway",
    );
    let private_key = key(
        var,
        "PAYERMAX_PRIVATE_KEY",
        "the merchant private key (dashboard format or PEM)",
    );
    let public_key = key(
        var,
        "PAYERMAX_PUBLIC_KEY",
        "PayerMax's public key (dashboard format or PEM)",
    );
    let environment = environment.and_then(|text| match parse_environment(&text) {
        Ok(env) => Some(env),
        Err(e) => {
            problems.push(e);
            None
        }
    });
    let (private_key, private_var) = match private_key {
        Ok(k) => k,
        Err(e) => {
            problems.push(e);
            (Zeroizing::new(String::new()), "")
        }
    };
    let (public_key, public_var) = match public_key {
        Ok(k) => k,
        Err(e) => {
            problems.push(e);
            (Zeroizing::new(String::new()), "")
        }
    };
    let (Some(merchant_no), Some(app_id), Some(environment), true) =
        (merchant_no, app_id, environment, problems.is_empty())
    else {
        return Err(problems.join("\n"));
    };
    Config::builder()
        .merchant_no(merchant_no)
        .app_id(app_id)
        .merchant_private_key(&private_key)
        .payermax_public_key(&public_key)
        .environment(environment)
        .retry_policy(retry)
        .build()
        .map_err(|e| match e {
            Error::Config { field, message } => {
                let variable = match field {
                    "merchant_no" => "PAYERMAX_MERCHANT_NO",
                    "app_id" => "PAYERMAX_APP_ID",
                    "merchant_private_key" => private_var,
                    "payermax_public_key" => public_var,
                    "environment" => "PAYERMAX_ENV",
                    other => other,
                };
                format!("{variable}: {message}")
            }
            other => other.to_string(),
        })
}

/// A key's text from `NAME` or from the file named by `NAME_FILE` (exactly one of them), and
/// the variable it came from. The text is wiped from memory when dropped.
fn key(
    var: &Lookup<'_>,
    name: &'static str,
    what: &str,
) -> Result<(Zeroizing<String>, &'static str), String> {
    let file_var: &'static str = match name {
        "PAYERMAX_PRIVATE_KEY" => "PAYERMAX_PRIVATE_KEY_FILE",
        _ => "PAYERMAX_PUBLIC_KEY_FILE",
    };
    match (var(name)?, var(file_var)?) {
        (Some(_), Some(_)) => Err(format!("both {name} and {file_var} are set: set only one")),
        (Some(text), None) => Ok((Zeroizing::new(text), name)),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map(|text| (Zeroizing::new(text), file_var))
            .map_err(|e| format!("{file_var}: cannot read {path}: {e}")),
        (None, None) => Err(format!("{name} (or {file_var}) is not set: {what}")),
    }
}

fn parse_environment(text: &str) -> Result<Environment, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("uat") {
        Ok(Environment::Uat)
    } else if text.eq_ignore_ascii_case("production") {
        Ok(Environment::Production)
    } else if text.starts_with("http://") || text.starts_with("https://") {
        Ok(Environment::Custom(text.to_owned()))
    } else {
        // The value is not shown: a key pasted into the wrong variable must not be printed.
        Err(format!(
            "PAYERMAX_ENV ({} characters, not shown) is not uat, production, or a base URL such as http://127.0.0.1:8080/aggregate-pay/api/gateway",
            text.chars().count()
        ))
    }
}

/// The CLI's retry policy: up to 8 sends per payout, and the wait after PayerMax does not
/// know an order whose send had an unknown outcome (`--unknown-outcome-wait`,
/// `PAYERMAX_UNKNOWN_OUTCOME_WAIT`; 5 minutes by default, as the reference advises).
pub fn retry(unknown_outcome_wait: Option<std::time::Duration>) -> RetryPolicy {
    let defaults = RetryPolicy::default();
    RetryPolicy {
        max_attempts: 8,
        not_found_wait: unknown_outcome_wait.unwrap_or(defaults.not_found_wait),
        ..defaults
    }
}

/// Reads a variable of the process environment: `Ok(None)` when unset or blank.
pub fn process_var(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value).filter(|v| !v.trim().is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}

/// A URL as it may be shown: without its userinfo (`http://user:password@host/…` →
/// `http://host/…`).
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{tail}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &HashMap<&str, String>) -> impl Fn(&str) -> Result<Option<String>, String> {
        move |name| Ok(vars.get(name).cloned())
    }

    fn keys() -> (String, String) {
        let (private, _) = payermax::runtime::keys::generate_keypair().unwrap();
        let (_, payermax_public) = payermax::runtime::keys::generate_keypair().unwrap();
        (
            private.to_dashboard().unwrap().to_string(),
            payermax_public.to_dashboard(),
        )
    }

    #[test]
    fn every_missing_variable_is_named() {
        let err = config_from_env(&lookup(&HashMap::new()), retry(None)).unwrap_err();
        for name in [
            "PAYERMAX_MERCHANT_NO",
            "PAYERMAX_APP_ID",
            "PAYERMAX_ENV",
            "PAYERMAX_PRIVATE_KEY (or PAYERMAX_PRIVATE_KEY_FILE)",
            "PAYERMAX_PUBLIC_KEY (or PAYERMAX_PUBLIC_KEY_FILE)",
        ] {
            assert!(err.contains(&format!("{name} is not set")), "{name}: {err}");
        }
    }

    #[test]
    fn a_full_environment_builds_a_config() {
        let (private, public) = keys();
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("key.txt");
        std::fs::write(&key_file, &private).unwrap();
        let vars = HashMap::from([
            ("PAYERMAX_MERCHANT_NO", "M1".to_owned()),
            ("PAYERMAX_APP_ID", "app1".to_owned()),
            ("PAYERMAX_PRIVATE_KEY_FILE", key_file.display().to_string()),
            ("PAYERMAX_PUBLIC_KEY", public),
            (
                "PAYERMAX_ENV",
                "http://127.0.0.1:9/aggregate-pay/api/gateway".to_owned(),
            ),
        ]);
        let config = config_from_env(&lookup(&vars), retry(None)).unwrap();
        assert_eq!(config.merchant_no(), "M1");
        assert_eq!(
            config.environment(),
            &Environment::Custom("http://127.0.0.1:9/aggregate-pay/api/gateway".into())
        );
        assert_eq!(config.retry_policy().max_attempts, 8);
    }

    #[test]
    fn malformed_variables_are_named_without_key_material() {
        let (private, public) = keys();
        let broken = format!("{}x", &private[..private.len() / 2]);
        let vars = HashMap::from([
            ("PAYERMAX_MERCHANT_NO", "M1".to_owned()),
            ("PAYERMAX_APP_ID", "app1".to_owned()),
            ("PAYERMAX_PRIVATE_KEY", broken.clone()),
            ("PAYERMAX_PUBLIC_KEY", public.clone()),
            ("PAYERMAX_ENV", "uat".to_owned()),
        ]);
        let err = config_from_env(&lookup(&vars), retry(None)).unwrap_err();
        assert!(err.starts_with("PAYERMAX_PRIVATE_KEY: "), "{err}");
        assert!(!err.contains(&broken[..20]), "key material in {err}");

        let mut vars = vars;
        vars.insert("PAYERMAX_PRIVATE_KEY", private.clone());
        vars.insert("PAYERMAX_ENV", "staging".to_owned());
        let err = config_from_env(&lookup(&vars), retry(None)).unwrap_err();
        assert!(
            err.starts_with("PAYERMAX_ENV (7 characters, not shown) is not uat"),
            "{err}"
        );
        // A private key put in PAYERMAX_ENV by mistake is never printed.
        vars.insert("PAYERMAX_ENV", private.clone());
        let err = config_from_env(&lookup(&vars), retry(None)).unwrap_err();
        assert!(!err.contains(&private[..24]), "{err}");

        vars.insert("PAYERMAX_ENV", "production".to_owned());
        vars.insert("PAYERMAX_PUBLIC_KEY_FILE", "/nonexistent".to_owned());
        let err = config_from_env(&lookup(&vars), retry(None)).unwrap_err();
        assert_eq!(
            err,
            "both PAYERMAX_PUBLIC_KEY and PAYERMAX_PUBLIC_KEY_FILE are set: set only one"
        );

        vars.remove("PAYERMAX_PUBLIC_KEY_FILE");
        // The merchant's own public key where PayerMax's belongs: the runtime notices.
        let own_public = payermax::runtime::PrivateKey::parse(&private)
            .unwrap()
            .public_key()
            .unwrap()
            .to_dashboard();
        vars.insert("PAYERMAX_PUBLIC_KEY", own_public);
        let err = config_from_env(&lookup(&vars), retry(None)).unwrap_err();
        assert!(
            err.starts_with("PAYERMAX_PUBLIC_KEY: is the public half"),
            "{err}"
        );
        assert!(!err.contains(&private[..40]));
    }

    #[test]
    fn urls_are_shown_without_userinfo() {
        assert_eq!(
            shown_url("http://user:password@127.0.0.1:9/aggregate-pay/api/gateway"),
            "http://127.0.0.1:9/aggregate-pay/api/gateway"
        );
        assert_eq!(
            shown_url("https://pay-gate.payermax.com/x"),
            "https://pay-gate.payermax.com/x"
        );
        assert_eq!(shown_url("http://u@h"), "http://h");
    }

    #[test]
    fn environments() {
        assert_eq!(parse_environment(" UAT "), Ok(Environment::Uat));
        assert_eq!(parse_environment("production"), Ok(Environment::Production));
        assert!(parse_environment("prod").is_err());
    }
}
