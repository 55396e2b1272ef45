//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `demo`: starts the simulator in this process and runs the main job through the public SDK.
//! - `bench`: measures listing and decoding speed and memory against the simulator.

mod bench;
mod demo;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Tasks of the Zscaler SDK for Rust workspace"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Run the main job (ZIA and ZPA) against a simulator started in this process.
    Demo(demo::Options),
    /// Measure listing and decoding throughput and memory against the simulator.
    Bench(bench::Options),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: failed to start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.task {
            Task::Demo(options) => demo::run(options).await,
            Task::Bench(options) => bench::run(options).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = std::error::Error::source(error.as_ref());
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}
