//! The user query path: pre-scan and parse (server/src/query.rs), then build the tantivy query
//! on the real schema over an empty in-memory index.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use woo_server::query::{parse, QueryBuilder};

struct Fixed {
    reader: tantivy::IndexReader,
    builder: QueryBuilder,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let index = tantivy::Index::create_in_ram(woo_core::schema::build_schema());
        woo_core::analysis::register_analyzers(&index);
        let fields = woo_core::schema::Fields::from_schema(&index.schema())
            .expect("the schema has every field");
        let reader = index.reader().expect("an empty index has a reader");
        Fixed {
            reader,
            builder: QueryBuilder::new(&fields),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Some(node)) = parse(query) else {
        return;
    };
    let fixed = fixed();
    let searcher = fixed.reader.searcher();
    let _ = fixed.builder.build(&searcher, &node);
});
