//! Formatting generated Rust with rustfmt, so that the output is what `cargo fmt` keeps.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes the scratch folders of concurrent runs in one process (tests run in threads).
static RUN: AtomicU64 = AtomicU64::new(0);

/// Formats `files` (paths relative to one folder, contents) in place with one rustfmt run.
/// The files keep their relative layout, so module declarations resolve as in the crate.
pub fn rustfmt(files: &mut [(String, String)]) -> Result<(), String> {
    let rust: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].0.ends_with(".rs"))
        .collect();
    if rust.is_empty() {
        return Ok(());
    }
    let scratch = std::env::temp_dir().join(format!(
        "zscaler-codegen-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let result = format_in(&scratch, files, &rust);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn format_in(scratch: &Path, files: &mut [(String, String)], rust: &[usize]) -> Result<(), String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for &index in rust {
        let path = scratch.join(&files[index].0);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("failed to create {}: {error}", parent.display()))?;
        }
        std::fs::write(&path, &files[index].1)
            .map_err(|error| format!("failed to write {}: {error}", path.display()))?;
        paths.push(path);
    }
    let program = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let output = Command::new(&program)
        .arg("--edition")
        .arg("2024")
        .args(&paths)
        .output()
        .map_err(|error| {
            format!(
                "failed to run {program}: {error}; install rustfmt (rustup component add rustfmt)"
            )
        })?;
    if !output.status.success() {
        return Err(format!(
            "{program} rejected the generated code (a generator bug):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for (&index, path) in rust.iter().zip(&paths) {
        files[index].1 = std::fs::read_to_string(path)
            .map_err(|error| format!("failed to read {}: {error}", path.display()))?;
    }
    Ok(())
}
