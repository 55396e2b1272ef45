//! Runs `cargo xtask demo` end to end, with and without the SDK's logs.

use std::process::{Command, Output};

fn run_demo(log: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args([
            "demo",
            "--users",
            "1200",
            "--segments",
            "60",
            "--page-size",
            "500",
        ])
        .env_remove("ZSCALER_SDK_VERBOSE");
    if log {
        command.env("ZSCALER_SDK_LOG", "true");
    } else {
        command.env_remove("ZSCALER_SDK_LOG");
    }
    command.output().expect("the demo starts")
}

#[test]
fn demo_runs_main_job() {
    let output = run_demo(false);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("page   3:   200 users,   1200 so far"),
        "{stdout}"
    );
    assert!(stdout.contains("created URL category CUSTOM_"), "{stdout}");
    assert!(stdout.contains("created firewall rule "), "{stdout}");
    assert!(stdout.contains("activated:         ACTIVE"), "{stdout}");
    assert!(stdout.contains("... 25 segments read"), "{stdout}");
    assert!(stdout.contains("deleted it"), "{stdout}");
    assert!(stdout.contains("Summary"), "{stdout}");
    assert!(stdout.contains("retries"), "{stdout}");
}

#[test]
fn demo_logs_hide_secrets() {
    let output = run_demo(true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("request completed"), "{stderr}");
    assert!(stderr.contains("logging in to ZIA"), "{stderr}");
    for (offset, _) in stderr.match_indices("JSESSIONID=") {
        let value = &stderr[offset + "JSESSIONID=".len()..];
        assert!(
            value.starts_with("[redacted]"),
            "session id in logs: {value:.40}"
        );
    }
    assert!(!stderr.contains("Bearer ey"), "bearer token in logs");
}
