//! Complaint judgement records (CSV or JSON lines) -> documents (indexer/src/complaint.rs).
//! The first byte picks the format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use woo_indexer::complaint::{complaint_document, parse_complaint_records};

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = Path::new("fuzz.klachten.csv");
    let Ok(records) = parse_complaint_records(path, text, first % 2 == 1) else {
        return;
    };
    for record in &records {
        let _ = complaint_document(record, "fuzz.klachten.csv", path);
    }
});
