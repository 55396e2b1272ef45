//! Lists every ZPA application segment with its domains.
//!
//! Reads `ZPA_CLIENT_ID`, `ZPA_CLIENT_SECRET`, `ZPA_CUSTOMER_ID` and optionally `ZPA_CLOUD`
//! (default `PRODUCTION`) or `ZPA_BASE_URL`. An optional first argument filters by name, as a
//! ZPA search expression (`name+CONTAINS+web`) or a plain name.

use std::process::ExitCode;

use futures::TryStreamExt;
use zscaler::zpa::ZpaClient;

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
    let zpa = ZpaClient::from_env()?;

    let mut list = zpa.application_segments().list();
    if let Some(search) = std::env::args().nth(1) {
        list = list.search(search);
    }
    let mut segments = list.stream();
    let mut count = 0;
    while let Some(segment) = segments.try_next().await? {
        println!(
            "{:>20}  {:<40}  {}",
            segment.id,
            segment.name.unwrap_or_default(),
            segment.domain_names.unwrap_or_default().join(", ")
        );
        count += 1;
    }
    println!("application segments: {count}");
    Ok(())
}
