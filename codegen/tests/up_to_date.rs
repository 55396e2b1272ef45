//! Fails when the generated code on disk differs from what the catalogs give, so that a
//! catalog or generator change without `cargo run -p codegen` fails `cargo test`.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the codegen crate sits in the workspace root")
}

#[test]
fn generated_code_is_up_to_date() {
    let root = workspace_root();
    let files = codegen::generate(root).expect("the generator runs");
    let problems = codegen::differences(root, &files);
    assert!(
        problems.is_empty(),
        "the generated code is out of date; run `cargo run -p codegen`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    let first = codegen::generate(root).expect("the generator runs");
    let second = codegen::generate(root).expect("the generator runs");
    assert_eq!(first.len(), second.len(), "the number of files changed");
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a, b, "{} differs between two runs", a.path.display());
    }
}
