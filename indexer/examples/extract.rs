//! Prints the text of a PDF like `pdftotext FILE -`: pages separated by a form feed.
//!
//! Usage: `cargo run --release -p woo-indexer --example extract -- FILE.pdf [FILE.pdf ...]`
//! With several files, each file's pages are printed in turn (used by the speed bench).

use std::io::Write;
use std::process::ExitCode;

use woo_indexer::pdf::{extract_pdf, PdfLimits};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: extract FILE.pdf [FILE.pdf ...]");
        return ExitCode::from(2);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0;
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: {error}");
                failures += 1;
                continue;
            }
        };
        match extract_pdf(path, &bytes, &PdfLimits::default()) {
            Ok(pdf) => {
                for page in &pdf.pages {
                    if page.text.is_empty() {
                        let _ = write!(out, "\u{c}");
                    } else {
                        let _ = write!(out, "{}\n\u{c}", page.text);
                    }
                    if let Some(problem) = &page.problem {
                        eprintln!("{path}: page {}: {problem}", page.page);
                    }
                }
            }
            Err(error) => {
                eprintln!("{error}");
                failures += 1;
            }
        }
    }
    let _ = out.flush();
    if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
