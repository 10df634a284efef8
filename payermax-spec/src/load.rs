//! Loading a spec: the root file, the API file, rail and country files, from the embedded
//! built-in spec or from disk, into typed structures, then the semantic checks.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{ApiFile, MarketFile, RootFile};
use crate::sp::{Pos, Sp};
use crate::{Market, Spec, semantic};
use serde::de::DeserializeOwned;
use std::path::{Component, Path, PathBuf};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_spec.rs"));
}

/// The documented status transitions of the built-in spec (`status_transitions:` of
/// `spec/api.yaml`, read when this crate is built): the runtime's order lifecycle follows them
/// without loading the spec. A loaded spec has its own in [`crate::plan::Plan::transitions`].
pub use builtin::STATUS_TRANSITIONS as BUILTIN_STATUS_TRANSITIONS;

/// The root file of the built-in spec, relative to `spec/`.
pub const BUILTIN_ROOT: &str = "payermax.yaml";
/// How built-in files are named in diagnostics.
pub const BUILTIN_PREFIX: &str = "payermax-spec/spec";

/// Where a spec's root comes from.
#[derive(Debug, Clone)]
pub enum Root {
    /// The spec shipped inside this crate.
    Builtin,
    /// A root file on disk.
    File(PathBuf),
}

/// Where files are read from.
#[derive(Debug, Clone)]
enum Store {
    Builtin,
    Disk,
    /// Files handed over in memory: (path, contents).
    Memory(std::sync::Arc<Vec<(String, String)>>),
}

/// A file to load: how to read it and how to name it in diagnostics.
#[derive(Debug, Clone)]
struct FileRef {
    store: Store,
    /// For `Builtin`: relative to `spec/`. For `Disk`: the path as the user gave it, joined.
    path: PathBuf,
}

impl FileRef {
    fn display(&self) -> String {
        match self.store {
            Store::Builtin => format!("{BUILTIN_PREFIX}/{}", slash(&self.path)),
            Store::Disk | Store::Memory(_) => slash(&self.path),
        }
    }

    fn read(&self) -> Result<String, String> {
        match &self.store {
            Store::Builtin => {
                let key = slash(&self.path);
                builtin::FILES
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, text)| (*text).to_owned())
                    .ok_or_else(|| "no such file in the built-in spec".to_owned())
            }
            Store::Disk => std::fs::read_to_string(&self.path).map_err(|e| e.to_string()),
            Store::Memory(files) => {
                let key = slash(&self.path);
                files
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, text)| text.clone())
                    .ok_or_else(|| "no such file among the embedded spec files".to_owned())
            }
        }
    }

    /// A path named inside this file, resolved against this file's directory.
    fn sibling(&self, rel: &str) -> FileRef {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        FileRef {
            store: self.store.clone(),
            path: normalize(&dir.join(rel)),
        }
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Loads a spec from files held in memory (path relative to a common base, contents): how
/// generated code rebuilds, at run time, the spec its macro checked at compile time.
pub fn from_memory(
    root: &str,
    extend: &[&str],
    files: &[(&str, &str)],
) -> Result<Spec, Diagnostics> {
    let files = std::sync::Arc::new(
        files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect::<Vec<_>>(),
    );
    let file = |p: &str| FileRef {
        store: Store::Memory(files.clone()),
        path: normalize(Path::new(p)),
    };
    let root = match root {
        "" => None,
        r => Some(file(r)),
    };
    load_refs(root, extend.iter().map(|e| file(e)).collect())
}

/// What to load: a root and extension files (each lists extra rails and countries).
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The root.
    pub root: Root,
    /// Extension files on disk.
    pub extend: Vec<PathBuf>,
}

/// Collects diagnostics while loading.
struct Loader {
    diags: Vec<Diagnostic>,
    disk_files: Vec<PathBuf>,
}

impl Loader {
    fn parse<T: DeserializeOwned>(&mut self, file: &FileRef, at: Option<(&str, Pos)>) -> Option<T> {
        let text = match file.read() {
            Ok(text) => text,
            Err(e) => {
                let (from, pos) = at.unwrap_or(("", Pos::default()));
                let file_name = if from.is_empty() {
                    file.display()
                } else {
                    from.to_owned()
                };
                self.diags.push(
                    Diagnostic::new(
                        file_name,
                        pos,
                        format!("cannot read `{}`: {e}", file.display()),
                    )
                    .with_hint("paths are relative to the file that lists them"),
                );
                return None;
            }
        };
        if let Store::Disk = file.store {
            self.disk_files.push(file.path.clone());
        }
        match serde_saphyr::from_str::<T>(&text) {
            Ok(value) => Some(value),
            Err(err) => {
                self.diags.push(yaml_diagnostic(&file.display(), &err));
                None
            }
        }
    }

    /// Resolves a path listed in `listing`, refusing absolute paths.
    fn listed(&mut self, listing: &FileRef, rel: &Sp<String>) -> Option<FileRef> {
        if Path::new(rel.as_str()).is_absolute() {
            self.diags.push(
                Diagnostic::new(
                    listing.display(),
                    rel.pos,
                    format!("absolute path `{}`", rel.value),
                )
                .with_hint(
                    "write the path relative to this file, so the spec builds on any machine",
                ),
            );
            return None;
        }
        Some(listing.sibling(rel))
    }

    fn markets(&mut self, listing: &FileRef, list: &[Sp<String>], out: &mut Vec<Market>) {
        for rel in list {
            let Some(file) = self.listed(listing, rel) else {
                continue;
            };
            let display = file.display();
            if let Some(def) = self.parse::<MarketFile>(&file, Some((&listing.display(), rel.pos)))
            {
                out.push(Market { file: display, def });
            }
        }
    }
}

/// The first line of a YAML error, without the location prefix and snippet.
fn yaml_diagnostic(file: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let pos = err
        .location()
        .map(|l| Pos {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX),
            column: u32::try_from(l.column()).unwrap_or(u32::MAX),
        })
        .unwrap_or_default();
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let message = strip_location(first);
    let hint = if message.contains("unknown field") {
        Some("see payermax-spec/SPEC_FORMAT.md for the keys each file takes")
    } else {
        None
    };
    let d = Diagnostic::new(file, pos, message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// serde-saphyr renders `line N column M: message` or `message at line N column M`; keep the message.
fn strip_location(s: &str) -> String {
    let s = s.trim_start_matches("error: ");
    // `line 9 column 5: message`
    let s = match s
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, message)) => message,
        None => s,
    };
    let s = match s.find(" at line ") {
        Some(i) => &s[..i],
        None => s,
    };
    s.to_owned()
}

/// Loads the built-in spec.
pub fn builtin() -> Result<Spec, Diagnostics> {
    load(&LoadOptions {
        root: Root::Builtin,
        extend: Vec::new(),
    })
}

/// Loads the spec whose root file is `path`.
pub fn from_root_file(path: impl Into<PathBuf>) -> Result<Spec, Diagnostics> {
    load(&LoadOptions {
        root: Root::File(path.into()),
        extend: Vec::new(),
    })
}

/// Loads a spec: every file, then every semantic check; all problems are reported together.
pub fn load(options: &LoadOptions) -> Result<Spec, Diagnostics> {
    let root_ref = match &options.root {
        Root::Builtin => FileRef {
            store: Store::Builtin,
            path: PathBuf::from(BUILTIN_ROOT),
        },
        Root::File(p) => FileRef {
            store: Store::Disk,
            path: normalize(p),
        },
    };
    let extend = options
        .extend
        .iter()
        .map(|p| FileRef {
            store: Store::Disk,
            path: normalize(p),
        })
        .collect();
    load_refs(Some(root_ref), extend)
}

/// `root: None` means the built-in root (with extensions from memory).
fn load_refs(root_ref: Option<FileRef>, extend: Vec<FileRef>) -> Result<Spec, Diagnostics> {
    let mut loader = Loader {
        diags: Vec::new(),
        disk_files: Vec::new(),
    };
    let root_ref = root_ref.unwrap_or(FileRef {
        store: Store::Builtin,
        path: PathBuf::from(BUILTIN_ROOT),
    });
    let root: Option<RootFile> = loader.parse(&root_ref, None);
    let mut api = None;
    let mut api_file = String::new();
    let mut countries = Vec::new();
    let mut rails = Vec::new();
    if let Some(root) = &root {
        match &root.api {
            Some(rel) => {
                if let Some(file) = loader.listed(&root_ref, rel) {
                    api_file = file.display();
                    api = loader.parse::<ApiFile>(&file, Some((&root_ref.display(), rel.pos)));
                }
            }
            None => loader.diags.push(
                Diagnostic::new(root_ref.display(), Pos { line: 1, column: 1 }, "the root file names no `api:` file")
                    .with_hint("add `api: api.yaml`; a file without `api:` is an extension, load it with `extend`"),
            ),
        }
        loader.markets(&root_ref, &root.rails, &mut rails);
        loader.markets(&root_ref, &root.countries, &mut countries);
    }
    for ext_ref in extend {
        let Some(ext_root) = loader.parse::<RootFile>(&ext_ref, None) else {
            continue;
        };
        if let Some(api) = &ext_root.api {
            loader.diags.push(
                Diagnostic::new(
                    ext_ref.display(),
                    api.pos,
                    "an extension file cannot name an `api:` file",
                )
                .with_hint(
                    "remove `api:`; an extension only lists extra `countries:` and `rails:`",
                ),
            );
        }
        loader.markets(&ext_ref, &ext_root.rails, &mut rails);
        loader.markets(&ext_ref, &ext_root.countries, &mut countries);
    }
    let Some(api) = api else {
        return Err(Diagnostics(loader.diags).sorted());
    };
    let spec = semantic::check(
        api,
        api_file,
        countries,
        rails,
        loader.disk_files,
        &mut loader.diags,
    );
    if loader.diags.is_empty() {
        Ok(spec)
    } else {
        Err(Diagnostics(loader.diags).sorted())
    }
}
