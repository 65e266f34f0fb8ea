//! Arbitrary bytes as a manifest file, checked with the bundled `genesys` and `meta` rule sets.
//! Any panic, hang (libFuzzer `-timeout`) or out-of-memory (`-rss_limit_mb`) is a bug: every
//! input must end in diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wabalint::engine::{Engine, Options};

const STYLE: wabalint::render::human::Style = wabalint::render::human::Style {
    color: false,
    width: 100,
};

fn engines() -> &'static [Engine; 2] {
    static ENGINES: OnceLock<[Engine; 2]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let engine = |profile: &str| {
            Engine::new(
                wabalint::rules::load_profile(profile).expect("bundled profile loads"),
                Options::new(jiff::civil::date(2026, 11, 26)),
            )
        };
        [engine("genesys"), engine("meta")]
    })
}

fuzz_target!(|data: &[u8]| {
    for engine in engines() {
        // No path: a campaign's `account:` reference resolves against the working directory,
        // confined to its project root.
        let report = engine.check_bytes("fuzz.yaml", None, data.to_vec(), true);
        // Rendering is part of the run: positions of every span must be computable.
        let _ = wabalint::render::json::render(&report.diagnostics, &Default::default());
        let _ = wabalint::render::human::render_all(&report.diagnostics, None, STYLE);
        let records = report.records;
        let _ = engine.finish(records.iter());
    }
});
