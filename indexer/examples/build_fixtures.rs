//! Writes the fixture files: `cargo run -p woo-indexer --example build_fixtures -- fixtures/`
//! (the same as `cargo run -- fixtures fixtures/`).

fn main() -> std::process::ExitCode {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures".to_string());
    match woo_indexer::fixtures::write_fixtures(std::path::Path::new(&dir)) {
        Ok(paths) => {
            for path in paths {
                println!("{}", path.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
