//! Arbitrary bytes (as lossy UTF-8) as a rule file. Loading must end in a rule set or in
//! diagnostics, never a panic, hang or unbounded memory. `extends` of relative paths resolve
//! against no base directory, i.e. the fuzzer's working directory; bundled profiles load too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match wabalint::rules::load_text("fuzz.yaml", &text, None) {
        Ok(set) => {
            let _ = set.rules.len();
        }
        Err(e) => {
            let _ = wabalint::render::json::render(&e.diagnostics, &Default::default());
            let style = wabalint::render::human::Style {
                color: false,
                width: 100,
            };
            let _ = wabalint::render::human::render_all(&e.diagnostics, None, style);
        }
    }
});
