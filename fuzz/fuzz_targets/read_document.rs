//! Every reader besides the PDF extractor (indexer/src/readers/): the first byte picks the
//! format (by the file name the reader is given), the rest is the file. A reader must answer
//! with pages or an error, never panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use woo_indexer::pdf::PdfLimits;
use woo_indexer::readers::read_file;

/// File names by the first byte (modulo the count); fuzz/run.sh writes seeds the same way.
const NAMES: &[&str] = &[
    "a.docx", "a.odt", "a.xlsx", "a.ods", "a.csv", "a.txt", "a.html", "a.eml", "a.msg",
    "a.zip", "a.xml", "a.png",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let _ = read_file(name, bytes, &PdfLimits::default());
});
