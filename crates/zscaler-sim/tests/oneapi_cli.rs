//! Checks of the `zscaler-sim` binary's OneAPI flags: the help text, incomplete or invalid
//! client settings, and the OneAPI credentials it prints.

use std::time::Duration;

#[test]
fn binary_help_lists_oneapi_flags() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zscaler-sim"))
        .arg("--help")
        .output()
        .expect("run zscaler-sim --help");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    for flag in [
        "--oneapi-client-id",
        "--oneapi-client-secret",
        "--oneapi-public-key",
        "--oneapi-token-lifetime-secs",
        "--zia-migrated-to-oneapi",
    ] {
        assert!(help.contains(flag), "help lacks {flag}:\n{help}");
    }
}

#[test]
fn binary_rejects_incomplete_oneapi_flags() {
    let key_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rsa2048.pem");
    // (arguments, text expected on stderr)
    let cases: [(&[&str], &str); 3] = [
        (&["--oneapi-client-secret", "s"], "need --oneapi-client-id"),
        (&["--oneapi-client-id", "c"], "needs --oneapi-client-secret"),
        (
            &["--oneapi-client-id", "c", "--oneapi-public-key", key_path],
            "not an RSA public key",
        ),
    ];
    for (arguments, expected) in cases {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_zscaler-sim"))
            .args(arguments)
            .output()
            .expect("run zscaler-sim");
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(error.contains(expected), "{arguments:?}: {error}");
    }
}

#[test]
fn binary_prints_oneapi_client() {
    use std::io::{BufRead, BufReader};

    let key_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rsa2048.pub.pem"
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zscaler-sim"))
        .args([
            "--oneapi-client-id",
            "cli-client",
            "--oneapi-public-key",
            key_path,
            "--zia-migrated-to-oneapi",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start zscaler-sim");
    let stdout = child.stdout.take().expect("piped stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let done = line.contains("serving until Ctrl-C");
            if sender.send(line).is_err() || done {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match receiver.recv_timeout(left) {
            Ok(line) => {
                let done = line.contains("serving until Ctrl-C");
                lines.push(line);
                if done {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    child.kill().expect("stop zscaler-sim");
    child.wait().expect("reap zscaler-sim");

    let text = lines.join("\n");
    assert!(text.contains("serving until Ctrl-C"), "{text}");
    assert!(text.contains("ZSCALER_CLIENT_ID=cli-client"), "{text}");
    assert!(!text.contains("ZSCALER_CLIENT_SECRET="), "{text}");
    assert!(text.contains("/oauth2/v1/token"), "{text}");
    assert!(text.contains("rsa2048.pub.pem"), "{text}");
    assert!(text.contains("migrated to OneAPI"), "{text}");
}
