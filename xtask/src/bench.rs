//! `cargo xtask bench`: listing and decoding throughput and memory, against the simulator.
//!
//! Each case runs the public SDK against a simulator in this process, so the figures include
//! the simulator's own work (serializing pages) and loopback HTTP. Heap figures come from a
//! counting global allocator: the peak is the largest number of bytes allocated at once during
//! the case, above what was allocated when it started.

use std::alloc::{GlobalAlloc, Layout, System};
use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use zscaler::RateLimitSettings;
use zscaler::zia::ZiaClient;
use zscaler::zia::users::User;
use zscaler::zpa::ZpaClient;
use zscaler_sim::Simulator;

/// Options of the benchmarks.
#[derive(clap::Args)]
pub struct Options {
    /// Users in the simulated ZIA tenant.
    #[arg(long, default_value_t = 50_000)]
    users: usize,
    /// Application segments in the simulated ZPA tenant.
    #[arg(long, default_value_t = 20_000)]
    segments: usize,
    /// Times each case runs; the best run is reported.
    #[arg(long, default_value_t = 3)]
    runs: u32,
}

/// Counts live heap bytes and their peak.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as it is.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on as it is.
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Starts measuring heap use: returns the live bytes now and resets the peak to them.
fn heap_baseline() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

struct Measurement {
    name: String,
    items: usize,
    requests: u64,
    best: Duration,
    peak_heap: usize,
}

/// Runs every case and prints a Markdown table.
pub async fn run(options: Options) -> Result<(), Box<dyn Error>> {
    if cfg!(debug_assertions) {
        return rerun_in_release();
    }

    let sim = Simulator::builder()
        .seed(1)
        .zia_users(options.users)
        .zpa_application_segments(options.segments)
        .start()
        .await?;
    let zia = zia_client(&sim)?;
    let zpa = zpa_client(&sim)?;

    // Log in once so that login time is not part of the listings.
    zia.users().list().max_items(1).collect().await?;
    zpa.application_segments()
        .list()
        .max_items(1)
        .collect()
        .await?;

    let mut results = Vec::new();
    for page_size in [10_000, 1_000] {
        let name = format!("ZIA stream {} users, pages of {page_size}", options.users);
        results.push(
            measure(&name, options.runs, || async {
                let before = zia.stats().attempts;
                let mut stream = zia.users().list().page_size(page_size).stream();
                let mut count = 0;
                while stream.try_next().await?.is_some() {
                    count += 1;
                }
                Ok((count, zia.stats().attempts - before))
            })
            .await?,
        );
    }
    let name = format!("ZIA collect {} users, pages of 10000", options.users);
    results.push(
        measure(&name, options.runs, || async {
            let before = zia.stats().attempts;
            let users = zia.users().list().page_size(10_000).collect().await?;
            Ok((users.len(), zia.stats().attempts - before))
        })
        .await?,
    );
    let name = format!("ZPA stream {} segments, pages of 500", options.segments);
    results.push(
        measure(&name, options.runs, || async {
            let before = zpa.stats().attempts;
            let mut stream = zpa.application_segments().list().page_size(500).stream();
            let mut count = 0;
            while stream.try_next().await?.is_some() {
                count += 1;
            }
            Ok((count, zpa.stats().attempts - before))
        })
        .await?,
    );

    let page = serde_json::to_vec(
        &sim.zia_collection("/users")
            .into_iter()
            .take(10_000)
            .collect::<Vec<_>>(),
    )?;
    let name = format!("decode a page of 10000 users ({} KiB)", page.len() / 1024);
    results.push(
        measure(&name, options.runs, || async {
            let users: Vec<User> = serde_json::from_slice(&page)?;
            Ok((users.len(), 0))
        })
        .await?,
    );

    print_table(&results);
    Ok(())
}

async fn measure<F, Fut>(name: &str, runs: u32, mut case: F) -> Result<Measurement, Box<dyn Error>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(usize, u64), Box<dyn Error>>>,
{
    let mut best = Duration::MAX;
    let mut peak_heap = 0;
    let mut items = 0;
    let mut requests = 0;
    for _ in 0..runs.max(1) {
        let baseline = heap_baseline();
        let started = Instant::now();
        let (count, sent) = case().await?;
        let elapsed = started.elapsed();
        peak_heap = peak_heap.max(PEAK.load(Ordering::Relaxed).saturating_sub(baseline));
        best = best.min(elapsed);
        items = count;
        requests = sent;
    }
    eprintln!("{name}: {items} items in {best:.2?}");
    Ok(Measurement {
        name: name.to_owned(),
        items,
        requests,
        best,
        peak_heap,
    })
}

fn print_table(results: &[Measurement]) {
    println!("| case | items | requests | best time | items/s | peak heap above start |");
    println!("|---|---:|---:|---:|---:|---:|");
    for result in results {
        let per_second = result.items as f64 / result.best.as_secs_f64().max(1e-9);
        println!(
            "| {} | {} | {} | {:.1} ms | {:.0} | {:.1} MiB |",
            result.name,
            result.items,
            result.requests,
            result.best.as_secs_f64() * 1000.0,
            per_second,
            result.peak_heap as f64 / (1024.0 * 1024.0)
        );
    }
}

fn zia_client(sim: &Simulator) -> zscaler::Result<ZiaClient> {
    let credentials = sim.zia_credentials();
    ZiaClient::builder()
        .username(credentials.username)
        .password(credentials.password)
        .api_key(credentials.api_key)
        .base_url(sim.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .build()
}

fn zpa_client(sim: &Simulator) -> zscaler::Result<ZpaClient> {
    let credentials = sim.zpa_credentials();
    ZpaClient::builder()
        .client_id(credentials.client_id)
        .client_secret(credentials.client_secret)
        .customer_id(credentials.customer_id)
        .base_url(sim.base_url())
        .rate_limit(RateLimitSettings::disabled())
        .build()
}

/// Benchmarks of a debug build mean nothing, so a debug xtask runs the release one.
fn rerun_in_release() -> Result<(), Box<dyn Error>> {
    eprintln!("building the benchmarks in release mode...");
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
            .args(&arguments)
            .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the release benchmark run failed with {status}").into())
    }
}
