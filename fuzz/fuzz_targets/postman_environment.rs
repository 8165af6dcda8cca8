//! `sextant_interchange::import_postman_environment` on arbitrary bytes read as a Postman
//! environment. Any outcome but a panic, abort or hang is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sextant_interchange::import_postman_environment(text);
    }
});
