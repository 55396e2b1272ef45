//! `cargo xtask demo`: the main job of the SDK, run against a simulator in this process.
//!
//! Everything below the simulator's start goes through the public SDK exactly as a user's
//! program would: build clients, log in on first use, stream listings, write, activate, and
//! clean up.

use std::error::Error;
use std::time::Instant;

use futures::TryStreamExt;
use zscaler::Stats;
use zscaler::zia::ZiaClient;
use zscaler::zia::generated::{FirewallFilteringRules, URLCategory};
use zscaler::zpa::ZpaClient;
use zscaler::zpa::segment_groups::SegmentGroup;
use zscaler_sim::{Faults, RetryAfterFormat, Simulator};

/// Options of the demo.
#[derive(clap::Args)]
pub struct Options {
    /// Users generated in the simulated ZIA tenant.
    #[arg(long, default_value_t = 5_000)]
    users: usize,
    /// Application segments generated in the simulated ZPA tenant.
    #[arg(long, default_value_t = 1_000)]
    segments: usize,
    /// Seed of the generated tenants.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// ZIA users requested per page.
    #[arg(long, default_value_t = 1_000)]
    page_size: u32,
    /// Every Nth API request returns 429, to show retries (0 turns it off).
    #[arg(long, default_value_t = 9)]
    rate_limit_every: u32,
}

/// Runs the demo and prints its results and a summary.
pub async fn run(options: Options) -> Result<(), Box<dyn Error>> {
    let logging = zscaler::init_logging_from_env()?;
    let started = Instant::now();

    let faults = Faults {
        every_nth_rate_limited: (options.rate_limit_every > 0).then_some(options.rate_limit_every),
        retry_after: RetryAfterFormat::Seconds,
        retry_after_secs: 1,
        ..Faults::default()
    };
    let sim = Simulator::builder()
        .seed(options.seed)
        .zia_users(options.users)
        .zpa_application_segments(options.segments)
        .faults(faults)
        .start()
        .await?;
    println!("Simulator on {}", sim.base_url());
    if logging {
        println!("SDK logs go to standard error");
    }

    let zia_summary = run_zia(&sim, &options).await?;
    let zpa_summary = run_zpa(&sim).await?;

    let stats = [zia_summary.stats, zpa_summary.stats];
    let attempts: u64 = stats.iter().map(|s| s.attempts).sum();
    let retries: u64 = stats.iter().map(|s| s.retries).sum();
    println!();
    println!("Summary");
    println!(
        "  items read       {}",
        zia_summary.items + zpa_summary.items
    );
    println!(
        "  requests sent    {attempts} (the simulator received {})",
        sim.requests().len()
    );
    println!("  retries          {retries}");
    println!("  time             {:.2?}", started.elapsed());
    Ok(())
}

struct Summary {
    items: usize,
    stats: Stats,
}

async fn run_zia(sim: &Simulator, options: &Options) -> Result<Summary, Box<dyn Error>> {
    let credentials = sim.zia_credentials();
    let zia = ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .build()?;

    heading("ZIA: users, page by page");
    let mut items = 0;
    let mut pages = zia.users().list().page_size(options.page_size).pages();
    let mut page_number = 0;
    let mut first_user = None;
    while let Some(page) = pages.try_next().await? {
        page_number += 1;
        items += page.len();
        if first_user.is_none() {
            first_user = page.first().cloned();
        }
        println!(
            "  page {page_number:>3}: {:>5} users, {items:>6} so far",
            page.len()
        );
    }
    if let Some(user) = first_user {
        println!(
            "  first user: {} <{}> in {}",
            user.name.unwrap_or_default(),
            user.email.unwrap_or_default(),
            user.department
                .and_then(|department| department.name)
                .unwrap_or_else(|| "no department".into())
        );
    }

    heading("ZIA: departments");
    let departments = zia.departments().list().collect().await?;
    items += departments.len();
    let names: Vec<&str> = departments
        .iter()
        .take(5)
        .filter_map(|department| department.name.as_deref())
        .collect();
    println!(
        "  {} departments, first: {}",
        departments.len(),
        names.join(", ")
    );

    heading("ZIA: create a URL category and a firewall rule, then activate");
    let category = URLCategory {
        configured_name: Some("SDK demo category".into()),
        super_category: Some("USER_DEFINED".into()),
        custom_category: Some(true),
        r#type: Some("URL_CATEGORY".into()),
        urls: Some(vec!["demo.example.com".into(), ".demo.example.net".into()]),
        description: Some("made by cargo xtask demo".into()),
        ..URLCategory::default()
    };
    let category = zia.url_categories().create(&category).await?;
    let category_id = category.id.clone().unwrap_or_default();
    println!(
        "  created URL category {category_id} ({})",
        category.configured_name.as_deref().unwrap_or_default()
    );
    let rule = FirewallFilteringRules {
        name: Some("SDK demo rule".into()),
        order: Some(1),
        action: Some("BLOCK_DROP".into()),
        state: Some("ENABLED".into()),
        dest_addresses: Some(vec!["192.0.2.10".into()]),
        description: Some("made by cargo xtask demo".into()),
        ..FirewallFilteringRules::default()
    };
    let rule = zia.firewall_filtering_rules().create(&rule).await?;
    let rule_id = rule.id.unwrap_or_default();
    println!(
        "  created firewall rule {rule_id} ({})",
        rule.name.as_deref().unwrap_or_default()
    );
    println!("  activation status: {}", zia.activation().status().await?);
    println!(
        "  activated:         {}",
        zia.activation().activate().await?
    );
    zia.firewall_filtering_rules().delete(rule_id).await?;
    zia.url_categories().delete(&category_id).await?;
    zia.activation().activate().await?;
    println!("  deleted both and activated again");

    zia.close().await?;
    println!("  logged out");
    Ok(Summary {
        items,
        stats: zia.stats(),
    })
}

async fn run_zpa(sim: &Simulator) -> Result<Summary, Box<dyn Error>> {
    let credentials = sim.zpa_credentials();
    let zpa = ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .build()?;

    heading("ZPA: application segments (max_items 25)");
    let segments = zpa
        .application_segments()
        .list()
        .max_items(25)
        .collect()
        .await?;
    for segment in segments.iter().take(5) {
        let domains = segment.domain_names.clone().unwrap_or_default();
        println!(
            "  {} {:<32} {}",
            segment.id,
            segment.name.as_deref().unwrap_or_default(),
            domains.join(", ")
        );
    }
    println!("  ... {} segments read", segments.len());

    heading("ZPA: create and delete a segment group");
    let created = zpa
        .segment_groups()
        .create(&SegmentGroup::new("sdk-demo-segment-group"))
        .await?;
    println!("  created segment group {}", created.id);
    let fetched = zpa.segment_groups().get(&created.id).await?;
    println!(
        "  read it back: {}",
        fetched.name.as_deref().unwrap_or_default()
    );
    zpa.segment_groups().delete(&created.id).await?;
    println!("  deleted it");

    Ok(Summary {
        items: segments.len(),
        stats: zpa.stats(),
    })
}

fn heading(title: &str) {
    println!();
    println!("{title}");
}
