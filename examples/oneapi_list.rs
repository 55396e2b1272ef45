//! Lists ZIA locations and ZPA segment groups with one OneAPI (ZIdentity) login.
//!
//! Reads `ZSCALER_CLIENT_ID`, `ZSCALER_CLIENT_SECRET` or `ZSCALER_PRIVATE_KEY`,
//! `ZSCALER_VANITY_DOMAIN`, `ZSCALER_CUSTOMER_ID`, and optionally `ZSCALER_CLOUD`,
//! `ZSCALER_PARTNER_ID`, `ZSCALER_TOKEN_URL` and `ZSCALER_GATEWAY_URL`.

use std::process::ExitCode;

use futures::TryStreamExt;
use zscaler::Client;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> zscaler::Result<()> {
    zscaler::init_logging_from_env()?;
    let client = Client::from_env()?;

    let mut locations = client.zia().locations().list().stream();
    let mut count = 0;
    while let Some(location) = locations.try_next().await? {
        println!(
            "ZIA location {:>10}  {}",
            location.id.unwrap_or_default(),
            location.name.unwrap_or_default()
        );
        count += 1;
    }
    println!("ZIA locations: {count}");

    let groups = client.zpa()?.segment_groups().list().collect().await?;
    for group in &groups {
        println!(
            "ZPA segment group {:>20}  {}",
            group.id,
            group.name.as_deref().unwrap_or_default()
        );
    }
    println!("ZPA segment groups: {}", groups.len());
    println!(
        "OneAPI tokens fetched for both products: {}",
        client.tokens_fetched().await
    );
    Ok(())
}
