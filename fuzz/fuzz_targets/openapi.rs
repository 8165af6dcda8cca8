//! The OpenAPI reader (JSON and YAML, detected from the text) on arbitrary bytes: the staged
//! entry point runs both the fast outline pass and the full model build, which is what the
//! explorer does with a spec file or URL. Any outcome but a panic, abort or hang is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = sextant_openapi::parse_str_staged(text, |_outline| {}) {
        let _ = sextant_openapi::summarize(&spec);
    }
});
