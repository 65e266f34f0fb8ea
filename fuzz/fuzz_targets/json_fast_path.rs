//! Arbitrary text through the JSON fast path: whatever it accepts, the YAML parser must read
//! into the same value and spans (the fast path must never change what a rule sees).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(difference) = wabalint::document::json_fast_path_agrees(text) {
            panic!("{difference}");
        }
    }
});
