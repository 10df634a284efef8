//! Figure 5 (the part that runs in-process): what `generate!()` does at compile time, timed:
//! `payermax_spec::load` + `payermax_codegen::generate`, for the built-in spec and for generated
//! specs of 50, 100 and 200 countries (the API file plus copies of Brazil's file under new
//! codes and currencies), and how many lines the generated code has once pretty-printed (what
//! `payermax spec expand` prints). Growth must be linear in the number of countries.
//!
//! The rebuild and `cargo check` times of a user crate are measured by `benches/run.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/out.rs"]
mod out;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use payermax_codegen::{SpecSource, generate, pretty};
use payermax_spec::{LoadOptions, Root, Spec};
use std::path::{Path, PathBuf};

const SIZES: [usize; 3] = [50, 100, 200];
const TEMPLATE: &str = include_str!("../payermax-spec/spec/countries/br.yaml");
const API: &str = include_str!("../payermax-spec/spec/api.yaml");

/// Two-letter codes, skipping the ones that are Rust keywords (they name payee modules).
fn codes(n: usize) -> Vec<String> {
    let letters = b'A'..=b'Z';
    letters
        .clone()
        .flat_map(|a| {
            letters
                .clone()
                .map(move |b| format!("{}{}", a as char, b as char))
        })
        .filter(|c| !["AS", "DO", "FN", "IF", "IN"].contains(&c.as_str()))
        .take(n)
        .collect()
}

/// Writes a spec of `n` countries under `dir`; returns its root file.
fn write_spec(dir: &Path, n: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("countries")).unwrap();
    std::fs::write(dir.join("api.yaml"), API).unwrap();
    let mut root = String::from("api: api.yaml\ncountries:\n");
    for code in codes(n) {
        let file = format!("countries/{}.yaml", code.to_lowercase());
        let currency = format!("{code}X");
        let text = TEMPLATE
            .replace("BRL", &currency)
            .replace("\ncode: BR\n", &format!("\ncode: {code}\n"));
        std::fs::write(dir.join(&file), text).unwrap();
        root.push_str(&format!("  - {file}\n"));
    }
    let path = dir.join("payermax.yaml");
    std::fs::write(&path, root).unwrap();
    path
}

fn load(root: &Option<PathBuf>) -> Spec {
    let root = root.clone().map_or(Root::Builtin, Root::File);
    payermax_spec::load(&LoadOptions {
        root,
        extend: Vec::new(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// What generated code tracks for rebuilds: the files the macro read.
fn source(spec: &Spec, root: &Option<PathBuf>) -> SpecSource {
    match root {
        None => SpecSource::Builtin,
        Some(_) => SpecSource::Files(
            spec.disk_files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        ),
    }
}

fn codegen(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut specs: Vec<(String, Option<PathBuf>)> = vec![("builtin".into(), None)];
    for n in SIZES {
        let root = write_spec(&dir.path().join(n.to_string()), n);
        specs.push((n.to_string(), Some(root)));
    }
    let mut lines = Vec::new();
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    for (name, root) in &specs {
        let spec = load(root);
        let code = pretty(&generate(&spec, &source(&spec, root))).expect("the code parses");
        lines.push((
            format!("countries.{name}"),
            spec.countries.len().to_string(),
        ));
        lines.push((format!("methods.{name}"), spec.counts().methods.to_string()));
        lines.push((format!("lines.{name}"), code.lines().count().to_string()));
        group.bench_with_input(BenchmarkId::new("load_generate", name), root, |b, root| {
            // What the macro does: load and check the spec, generate the tokens.
            b.iter(|| {
                let spec = load(root);
                generate(&spec, &source(&spec, root))
            })
        });
    }
    group.finish();
    out::write("codegen.tsv", &lines);
}

criterion_group!(benches, codegen);
criterion_main!(benches);
