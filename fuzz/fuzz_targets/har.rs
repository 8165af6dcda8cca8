//! `sextant_interchange::import_har` on arbitrary bytes read as a HAR 1.2 archive.
//! Any outcome but a panic, abort or hang is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sextant_interchange::import_har(text);
    }
});
