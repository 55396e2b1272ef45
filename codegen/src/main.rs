//! Writes, or with `--check` verifies, the generated ZIA and ZPA code.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.as_slice() {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!(
                "usage: cargo run -p codegen [-- --check]\n\nWithout arguments, writes the \
                 generated code; with --check, exits with status 1 when it is out of date."
            );
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the codegen crate sits in the workspace root");
    let files = match codegen::generate(root) {
        Ok(files) => files,
        Err(problem) => {
            eprintln!("codegen: {problem}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let problems = codegen::differences(root, &files);
        if problems.is_empty() {
            println!("codegen: {} generated files are up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for problem in &problems {
            eprintln!("codegen: {problem}");
        }
        eprintln!("codegen: run `cargo run -p codegen` to regenerate");
        return ExitCode::FAILURE;
    }
    match codegen::write(root, &files) {
        Ok(changed) => {
            println!(
                "codegen: {} files generated, {changed} changed",
                files.len()
            );
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("codegen: {problem}");
            ExitCode::FAILURE
        }
    }
}
