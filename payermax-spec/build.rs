//! Embeds every file under `spec/` so the built-in spec needs no files at run time, and reads
//! the documented status transitions of `spec/api.yaml` into a table the runtime's order
//! lifecycle follows without loading the spec.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The part of `api.yaml` read here (every other key is passed over).
#[derive(serde::Deserialize)]
struct Lifecycle {
    #[serde(default)]
    status_transitions: Vec<Move>,
}

#[derive(serde::Deserialize)]
struct Move {
    from: String,
    to: String,
}

/// `STATUS_TRANSITIONS`, from the API file's `status_transitions:`. A file that does not parse
/// gives an empty table: the spec's own loader reports the problem with its line.
fn transitions(api: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(api)?;
    let moves = serde_saphyr::from_str::<Lifecycle>(&text)
        .map(|l| l.status_transitions)
        .unwrap_or_default();
    let mut code = String::from(
        "/// The documented status transitions (`status_transitions:` of `spec/api.yaml`).\npub static STATUS_TRANSITIONS: &[(&str, &str)] = &[\n",
    );
    for m in moves {
        writeln!(code, "    ({:?}, {:?}),", m.from, m.to)?;
    }
    code.push_str("];\n");
    Ok(code)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let spec_dir = manifest.join("spec");
    println!("cargo:rerun-if-changed=spec");
    let mut files = Vec::new();
    collect(&spec_dir, &mut files)?;
    files.sort();
    let mut code = String::from(
        "/// Every file of the built-in spec: (path relative to `spec/`, contents).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&spec_dir)?
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        )?;
    }
    code.push_str("];\n");
    code.push_str(&transitions(&spec_dir.join("api.yaml"))?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin_spec.rs");
    std::fs::write(out, code)?;
    Ok(())
}
