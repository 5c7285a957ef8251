//! Query string -> typed search request, as `GET /api/search` reads it (server/src/params.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use woo_server::params::{decode_pairs, search_request_from_pairs};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pairs) = decode_pairs(raw) else {
        return;
    };
    if let Ok(request) = search_request_from_pairs(&pairs, &[]) {
        let _ = request.validate();
    }
});
