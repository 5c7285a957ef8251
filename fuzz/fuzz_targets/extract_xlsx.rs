//! Inventory lists in xlsx: bytes -> worksheets -> inventory rows (indexer/src/inventory.rs).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use woo_indexer::inventory::{rows_of_table, xlsx_tables_of_bytes};

static QUIET_PANICS: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // `xlsx_tables_of_bytes` turns calamine's panics into errors (one is known and reported,
    // fuzz/regressions/); libfuzzer-sys's hook would abort on them all the same. Only a panic
    // that escapes (libfuzzer-sys aborts on it) is a finding here.
    QUIET_PANICS.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Ok(tables) = xlsx_tables_of_bytes(Path::new("fuzz.xlsx"), data) else {
        return;
    };
    for table in &tables {
        let _ = rows_of_table(table);
    }
});
