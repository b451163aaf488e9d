//! A plugin manifest as the daemon loads it: `bkgd::supervisor::manifest::parse` (TOML, the
//! checks, the config and capability schemas compiled, the default config validated).
//!
//! Checked beyond "no panic": an accepted manifest has a valid id and a program, its default
//! config fits its schema, and it re-encodes to TOML that parses back to the same manifest.
#![no_main]

use std::path::PathBuf;

use bkg_core::plugin::{PluginManifest, PluginSource};
use bkgd::supervisor::manifest::{parse, valid_id};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(loaded) = parse(text, "fuzz.toml", PluginSource::User, PathBuf::from("/nonexistent")) else {
        return;
    };
    let m = &loaded.manifest;
    assert!(valid_id(&m.id), "{text}");
    assert!(m.command.first().is_some_and(|p| !p.is_empty()), "{text}");
    assert!(loaded.config_validator.is_valid(&m.config.default), "{text}");
    // Values TOML cannot hold (a NaN in a schema becomes null) do not re-encode: nothing to check.
    if let Ok(encoded) = toml::to_string(m) {
        let again: PluginManifest = toml::from_str(&encoded).expect("a re-encoded manifest parses");
        assert_eq!(&again, m, "{text}\n->\n{encoded}");
    }
});
