//! The envelope `version` (#14 §2): each endpoint's from the spec, one the merchant sets for
//! every request, and the sandbox answering the versions PayerMax's official SDKs send.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use payermax::PaymentOrderQryRequest;
use payermax_sandbox::{Merchant, Sandbox, SandboxConfig};

fn version_sent(sandbox: &Sandbox, out_trade_no: &str) -> String {
    let log = sandbox.requests_for(out_trade_no);
    let body: serde_json::Value = serde_json::from_str(&log.last().unwrap().body).unwrap();
    body["version"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_endpoint_sends_its_version_and_the_merchant_can_set_one() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (merchant, key) = Merchant::generate("app_v", "M_V").unwrap();
    sandbox.register_merchant(merchant);
    let client = |version: Option<&str>| {
        common::client_of(&sandbox, ("app_v", "M_V"), &key, |config| match version {
            Some(v) => config.api_version(v),
            None => config,
        })
    };
    let spec_version = payermax::ENDPOINT_VERSIONS
        .iter()
        .find(|(api, _)| *api == "paymentOrderQry")
        .map(|(_, v)| *v)
        .unwrap();
    let err = client(None)
        .query(&PaymentOrderQryRequest::new("v_spec"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ORDER_NOT_EXIST"), "answered: {err}");
    assert_eq!(version_sent(&sandbox, "v_spec"), spec_version);
    assert_eq!(
        client(None)
            .runtime()
            .config()
            .version_for("paymentOrderQry"),
        spec_version
    );
    // What PayerMax's official SDKs send (Go 1.1, PHP 1.2, Java configurable), and the English
    // page's 1.5: each answered.
    for version in ["1.1", "1.2", "1.4", "1.5"] {
        let out = format!("v_{}", version.replace('.', "_"));
        let err = client(Some(version))
            .query(&PaymentOrderQryRequest::new(out.as_str()))
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("ORDER_NOT_EXIST"), "{version}: {err}");
        assert_eq!(version_sent(&sandbox, &out), version);
    }
    sandbox.shutdown().await;
}
