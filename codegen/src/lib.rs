//! Generates the ZIA and ZPA models, resource handles, operation registries and route tests
//! from the API catalogs in `spec/`.
//!
//! `cargo run -p codegen` writes the output; `cargo run -p codegen -- --check` exits non-zero
//! when the files on disk differ from what the catalogs give. The output of each product is
//! `crates/<crate>/src/generated/` (a module tree rooted at `mod.rs`) and
//! `crates/<crate>/tests/generated_routes.rs` with its `generated_routes/` folder, and the
//! end-to-end tests against the simulator, `crates/<crate>/tests/generated_e2e.rs` with its
//! `generated_e2e/` folder.

mod emit_e2e;
mod emit_models;
mod emit_ops;
mod emit_replays;
mod emit_tests;
mod emit_tree;
mod format;
mod handwritten;
mod layout;
mod names;
mod overrides;
mod plan;
mod plan_ops;
mod product;
mod spec;
mod text;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// Formatted contents.
    pub contents: String,
}

/// Folders whose every file is generated, relative to a product crate.
const OWNED_DIRS: [&str; 3] = [
    "src/generated",
    "tests/generated_routes",
    "tests/generated_e2e",
];

/// Generates every output file from the catalogs under `root` (the workspace root).
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let mut out = Vec::new();
    for product in product::PRODUCTS {
        let catalog = spec::Catalog::load(&root.join(product.catalog_path()))?;
        if catalog.product != product.key {
            return Err(format!(
                "{} names product {:?}, expected {:?}",
                product.catalog_path(),
                catalog.product,
                product.key
            ));
        }
        let crate_dir = root.join(product.crate_dir);
        let tests_dir = crate_dir.join("tests");
        let hand = handwritten::HandWritten::load(&crate_dir, &tests_dir, product.client)?;
        let plan = plan::build(product, &catalog, &hand)?;

        let mut tree = emit_tree::emit_tree(&plan);
        format::rustfmt(&mut tree)?;
        for (path, contents) in tree {
            out.push(GeneratedFile {
                path: Path::new(&product.generated_dir()).join(path),
                contents,
            });
        }

        let fixtures = tests_dir.join("fixtures/recorded");
        let mut tests = emit_tests::emit_tests(&plan, &catalog, &fixtures)?;
        tests.extend(emit_e2e::emit_e2e(&plan));
        format::rustfmt(&mut tests)?;
        for (path, contents) in tests {
            out.push(GeneratedFile {
                path: Path::new(product.crate_dir).join("tests").join(path),
                contents,
            });
        }
    }
    Ok(out)
}

/// Returns a description of every difference between `files` and the disk under `root`:
/// files that differ or are missing, and files in the generated folders that are no longer
/// generated.
pub fn differences(root: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(existing) if existing == file.contents => {}
            Ok(_) => problems.push(format!("{} is out of date", file.path.display())),
            Err(_) => problems.push(format!("{} is missing", file.path.display())),
        }
    }
    for stale in stale_files(root, files) {
        problems.push(format!("{} is no longer generated", stale.display()));
    }
    problems
}

/// Writes `files` under `root` and deletes the files of the generated folders that are no
/// longer generated. Returns the number of files written or deleted.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<usize, String> {
    let mut changed = 0;
    for file in files {
        let path = root.join(&file.path);
        if std::fs::read_to_string(&path).is_ok_and(|existing| existing == file.contents) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("failed to create {}: {error}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents)
            .map_err(|error| format!("failed to write {}: {error}", path.display()))?;
        changed += 1;
    }
    for stale in stale_files(root, files) {
        std::fs::remove_file(root.join(&stale))
            .map_err(|error| format!("failed to delete {}: {error}", stale.display()))?;
        changed += 1;
    }
    Ok(changed)
}

/// Returns the files in the generated folders that `files` does not contain.
fn stale_files(root: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let wanted: BTreeSet<&Path> = files.iter().map(|file| file.path.as_path()).collect();
    let mut stale = Vec::new();
    for product in product::PRODUCTS {
        for dir in OWNED_DIRS {
            let relative = Path::new(product.crate_dir).join(dir);
            let Ok(entries) = std::fs::read_dir(root.join(&relative)) else {
                continue;
            };
            let mut names: Vec<_> = entries
                .filter_map(|entry| entry.ok())
                .map(|entry| relative.join(entry.file_name()))
                .filter(|path| !wanted.contains(path.as_path()))
                .collect();
            names.sort();
            stale.extend(names);
        }
    }
    stale
}
