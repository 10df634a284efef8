//! Runs the marketplace's webhook against PayerMax's test environment (UAT), with the
//! credentials from the environment: `PAYERMAX_MERCHANT_NO`, `PAYERMAX_APP_ID`,
//! `PAYERMAX_PRIVATE_KEY` (the merchant's, dashboard format or PEM), `PAYERMAX_PUBLIC_KEY`
//! (PayerMax's) and `PORT` (default 8080). Its test runs it against the in-process sandbox.

use payermax::Client;
use payermax::runtime::{Config, Environment};
use payermax_example_marketplace::Marketplace;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let config = Config::builder()
        .merchant_no(var("PAYERMAX_MERCHANT_NO")?)
        .app_id(var("PAYERMAX_APP_ID")?)
        .merchant_private_key(&var("PAYERMAX_PRIVATE_KEY")?)
        .payermax_public_key(&var("PAYERMAX_PUBLIC_KEY")?)
        .environment(Environment::Uat)
        .build()?;
    let marketplace = Marketplace::new(Client::new(config)?);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port.parse::<u16>()?)).await?;
    println!(
        "webhook at http://{}/payermax/notify",
        listener.local_addr()?
    );
    axum::serve(listener, marketplace.router()).await?;
    Ok(())
}
