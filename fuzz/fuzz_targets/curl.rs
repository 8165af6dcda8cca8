//! `sextant_interchange::parse_curl` on arbitrary bytes read as a curl command line (what
//! `import curl` and pasting a curl command feed it). Any outcome but a panic, abort or hang
//! is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sextant_interchange::parse_curl(text);
    }
});
