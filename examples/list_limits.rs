//! Reads only the start of large collections with `max_pages`, `max_items` and `page_size`.
//!
//! Reads the ZIA and ZPA variables of the other examples. ZIA runs when `ZIA_USERNAME` is set
//! and ZPA when `ZPA_CLIENT_ID` is set.

use std::process::ExitCode;

use zscaler::zia::ZiaClient;
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
    let mut ran = false;

    if std::env::var_os("ZIA_USERNAME").is_some() {
        let zia = ZiaClient::from_env()?;
        let first_page = zia
            .users()
            .list()
            .page_size(50)
            .max_pages(1)
            .collect()
            .await?;
        println!("ZIA: first page of 50 gave {} users", first_page.len());
        let first_ten = zia.users().list().max_items(10).collect().await?;
        println!("ZIA: max_items(10) gave {} users", first_ten.len());
        zia.close().await?;
        ran = true;
    }

    if std::env::var_os("ZPA_CLIENT_ID").is_some() {
        let zpa = ZpaClient::from_env()?;
        let segments = zpa
            .application_segments()
            .list()
            .max_pages(1)
            .max_items(5)
            .collect()
            .await?;
        println!(
            "ZPA: max_pages(1).max_items(5) gave {} segments",
            segments.len()
        );
        ran = true;
    }

    if !ran {
        let problem = "no ZIA or ZPA variables are set: set ZIA_USERNAME, ZIA_PASSWORD, \
                       ZIA_API_KEY and ZIA_CLOUD, or ZPA_CLIENT_ID, ZPA_CLIENT_SECRET and \
                       ZPA_CUSTOMER_ID";
        return Err(zscaler::ConfigError::new(problem).into());
    }
    Ok(())
}
