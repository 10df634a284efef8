//! Editing a spec file rebuilds the crate that invoked `generate!`: the macro emits
//! `include_str!` for every file it read, so cargo tracks them. Builds a real user crate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, target: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn editing_a_country_file_rebuilds_the_user_crate() {
    // The repository: this package is one folder below it.
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path();
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::create_dir_all(crate_dir.join("spec/countries")).unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"merchant\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\npayermax = {{ path = {:?} }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        crate_dir.join("src/main.rs"),
        "payermax::generate!(extend = \"spec/extra.yaml\");\nfn main() { println!(\"{}\", Currency::Zzd.decimals()); }\n",
    )
    .unwrap();
    std::fs::write(
        crate_dir.join("spec/extra.yaml"),
        "countries: [countries/zz.yaml]\n",
    )
    .unwrap();
    let country = include_str!("../../tests/fixtures/extend/countries/zz.yaml");
    let zz = crate_dir.join("spec/countries/zz.yaml");
    std::fs::write(&zz, country).unwrap();
    // trybuild's target directory (CI removes it after the tests): the dependencies the two
    // build with the same features (most of them: ring, rsa, serde, reqwest…) are built once.
    let target = root.join("target/tests/trybuild");
    assert_eq!(run(crate_dir, &target), "0\n");
    std::fs::write(&zz, country.replace("decimals: 0", "decimals: 2")).unwrap();
    assert_eq!(
        run(crate_dir, &target),
        "2\n",
        "the edit must be seen without touching main.rs"
    );
}
