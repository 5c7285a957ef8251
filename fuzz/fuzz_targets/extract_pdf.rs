//! The PDF extractor with limits on, as `woo extract-worker` runs it. A panic, even one the
//! extractor would catch and report as `panicked`, is a finding (libfuzzer-sys aborts on panic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use woo_indexer::pdf::{extract_pdf, PdfLimits};

fuzz_target!(|data: &[u8]| {
    // Smaller than the defaults so one input stays fast; the same code paths.
    let limits = PdfLimits {
        max_decompressed_bytes: 16 * 1024 * 1024,
        max_pages: 200,
        max_operations_per_page: 200_000,
        max_xobject_depth: 8,
        max_chars_per_page: 100_000,
    };
    let _ = extract_pdf("fuzz.pdf", data, &limits);
});
