//! Lists every ZIA user, streaming one page at a time.
//!
//! Reads `ZIA_USERNAME`, `ZIA_PASSWORD`, `ZIA_API_KEY` and `ZIA_CLOUD` (or `ZIA_BASE_URL`).
//! Set `ZSCALER_SDK_LOG=true` to see the SDK's logs.

use std::process::ExitCode;

use futures::TryStreamExt;
use zscaler::zia::ZiaClient;

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
    let zia = ZiaClient::from_env()?;

    let mut users = zia.users().list().stream();
    let mut count = 0;
    while let Some(user) = users.try_next().await? {
        let department = user.department.and_then(|d| d.name).unwrap_or_default();
        println!(
            "{:>12}  {:<40}  {}",
            user.id,
            user.email.unwrap_or_default(),
            department
        );
        count += 1;
    }
    println!("users: {count}");

    zia.close().await
}
