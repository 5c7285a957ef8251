//! Inventory lists in xlsx: bytes -> worksheets -> inventory rows (indexer/src/inventory.rs).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use woo_indexer::inventory::{rows_of_table, xlsx_tables_of_bytes};

fuzz_target!(|data: &[u8]| {
    let Ok(tables) = xlsx_tables_of_bytes(Path::new("fuzz.xlsx"), data) else {
        return;
    };
    for table in &tables {
        let _ = rows_of_table(table);
    }
});
