//! Checks of generated tenants and of the `zscaler-sim` binary's help text.

use std::time::Instant;

use zscaler_sim::Simulator;

#[tokio::test]
async fn same_seed_same_tenant() {
    let first = Simulator::builder()
        .seed(42)
        .zia_users(500)
        .zpa_application_segments(200)
        .start()
        .await
        .expect("start");
    let second = Simulator::builder()
        .seed(42)
        .zia_users(500)
        .zpa_application_segments(200)
        .start()
        .await
        .expect("start");
    let other = Simulator::builder()
        .seed(43)
        .zia_users(500)
        .zpa_application_segments(200)
        .start()
        .await
        .expect("start");
    assert_eq!(
        first.zia_collection("/users"),
        second.zia_collection("/users")
    );
    assert_eq!(
        first.zia_collection("/groups"),
        second.zia_collection("/groups")
    );
    assert_eq!(
        first.zpa_collection("/application"),
        second.zpa_collection("/application")
    );
    assert_eq!(first.zia_credentials(), second.zia_credentials());
    assert_eq!(first.zpa_credentials(), second.zpa_credentials());
    assert_ne!(
        first.zia_collection("/users"),
        other.zia_collection("/users")
    );
    assert_ne!(first.zia_credentials(), other.zia_credentials());
}

#[tokio::test]
async fn generated_fields_present() {
    let sim = Simulator::builder()
        .zia_users(100)
        .zpa_application_segments(40)
        .start()
        .await
        .expect("start");
    let users = sim.zia_collection("/users");
    assert_eq!(users.len(), 100);
    for field in [
        "id",
        "name",
        "email",
        "groups",
        "department",
        "comments",
        "tempAuthEmail",
        "adminUser",
        "deleted",
    ] {
        assert!(
            users[0].get(field).is_some(),
            "user field {field}: {}",
            users[0]
        );
    }
    assert!(users[0]["id"].is_u64());
    assert_eq!(sim.zia_collection("/departments").len(), 1);
    assert_eq!(sim.zia_collection("/groups").len(), 2);

    let segments = sim.zpa_collection("/application");
    assert_eq!(segments.len(), 40);
    let segment = &segments[0];
    for field in [
        "domainNames",
        "tcpPortRanges",
        "segmentGroupId",
        "segmentGroupName",
        "serverGroups",
        "enabled",
    ] {
        assert!(
            segment.get(field).is_some(),
            "segment field {field}: {segment}"
        );
    }
    assert!(segment["id"].is_string());
    assert!(segment["creationTime"].is_string());
    assert!(segment["tcpPortRanges"][0].is_string());
    assert!(
        segment.get("simRiskScore").is_some(),
        "an extra field unknown to the SDK models"
    );
    assert_eq!(sim.zpa_collection("/segmentGroup").len(), 2);
    assert_eq!(sim.zpa_collection("/serverGroup").len(), 4);
    assert_eq!(sim.zpa_collection("/appConnectorGroup").len(), 1);
}

#[tokio::test]
async fn large_tenant_builds_quickly() {
    // The first simulator of a process compiles the catalogs and replays the recordings.
    drop(Simulator::builder().start().await.expect("start"));

    let started = Instant::now();
    let users = Simulator::builder()
        .zia_users(50_000)
        .start()
        .await
        .expect("start");
    let users_elapsed = started.elapsed();
    assert_eq!(users.zia_collection("/users").len(), 50_000);

    let started = Instant::now();
    let segments = Simulator::builder()
        .zpa_application_segments(20_000)
        .start()
        .await
        .expect("start");
    let segments_elapsed = started.elapsed();
    assert_eq!(segments.zpa_collection("/application").len(), 20_000);

    println!("50,000 users built in {users_elapsed:?}, 20,000 segments in {segments_elapsed:?}");
    // Loose bounds, because unoptimised test builds on a loaded machine are several times
    // slower than release builds.
    assert!(users_elapsed.as_secs() < 10, "users took {users_elapsed:?}");
    assert!(
        segments_elapsed.as_secs() < 10,
        "segments took {segments_elapsed:?}"
    );
}

#[test]
fn binary_help_lists_flags() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zscaler-sim"))
        .arg("--help")
        .output()
        .expect("run zscaler-sim --help");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    for flag in [
        "--port",
        "--seed",
        "--zia-users",
        "--zpa-segments",
        "--rate-limits",
        "--rate-limit-probability",
        "--retry-after-format",
        "--server-error-probability",
        "--session-idle-timeout-secs",
        "--token-lifetime-secs",
    ] {
        assert!(help.contains(flag), "help lacks {flag}:\n{help}");
    }
}

#[test]
fn binary_rejects_bad_probability() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zscaler-sim"))
        .args(["--server-error-probability", "1.5"])
        .output()
        .expect("run zscaler-sim");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("server-error-probability"), "{error}");
}
