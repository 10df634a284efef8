//! Where benches leave the figures that criterion does not record, for `benches/report.rs`:
//! `$PAYERMAX_BENCH_OUT` (set by `benches/run.sh`), else `target/bench-results`.
// Shared by several benches, each of which uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;

/// The results folder, created if needed.
pub fn dir() -> PathBuf {
    let dir = std::env::var_os("PAYERMAX_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/bench-results"
            ))
        });
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Writes `name` (one `key<TAB>value` line per figure) in the results folder.
pub fn write(name: &str, lines: &[(String, String)]) {
    let text: String = lines.iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
    let path = dir().join(name);
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("could not write {}: {e}", path.display());
    }
}

/// Whether the command line selects bench `name`: `cargo bench NAME` passes its filter to every
/// bench binary, and criterion's benches skip what it does not match; the hand-timed ones ask.
pub fn selected(name: &str) -> bool {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .all(|filter| name.contains(filter.as_str()))
}
