//! Opening a ledger: SQLite files (created atomically, checked on every open) and PostgreSQL
//! databases, both behind one `sqlx::AnyPool`; migrations; and the liveness of workers, which
//! decides when a claim left by a dead process may be taken over.

use crate::error::LedgerError;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, Connection as _, Row as _, SqlStr};
use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Mutex;

/// The ledger's schema, one migration per backend, embedded in the binary.
///
/// Built here rather than with `sqlx::migrate!`: that macro brings sqlx's macro crate, which
/// builds sqlx-core, both drivers, tokio and rustls a second time (for the compiler host) in
/// every build that depends on this crate. The version, description and checksum are the ones
/// `migrate!` derived from the file name `0001_ledger.sql` and the file's bytes, so ledgers
/// created before open unchanged (`tests/store.rs` opens one made by the macro's migrator).
static SQLITE_MIGRATIONS: LazyLock<Migrator> =
    LazyLock::new(|| ledger_migrator(include_str!("../migrations/sqlite/0001_ledger.sql")));
static POSTGRES_MIGRATIONS: LazyLock<Migrator> =
    LazyLock::new(|| ledger_migrator(include_str!("../migrations/postgres/0001_ledger.sql")));

/// Migration 1, "ledger": the whole schema, in one transaction.
fn ledger_migrator(sql: &'static str) -> Migrator {
    Migrator::with_migrations(vec![Migration::new(
        1,
        Cow::Borrowed("ledger"),
        MigrationType::Simple,
        SqlStr::from_static(sql),
        false,
    )])
}

/// How long a statement waits for another process's write lock on an SQLite ledger.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 60_000;

/// Which database holds the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

/// An open database: the pool, the backend, the location to show, and this process's worker
/// registration.
pub(crate) struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    pub location: String,
    pub worker: String,
    liveness: Liveness,
    /// SQLite has one writer at a time: this process's write transactions take turns here
    /// instead of meeting in SQLite's busy handler, which sleeps (1, 2, 5… ms) rather than
    /// waiting for the lock's release. Other processes still meet in the busy handler.
    writer: Mutex<()>,
}

enum Liveness {
    /// A lock file per worker in `<ledger>.workers/`, locked for the worker's lifetime.
    Sqlite { dir: PathBuf, own: File },
    /// A session-level advisory lock per worker, held on a connection kept for the purpose.
    Postgres {
        session: Mutex<Option<AnyConnection>>,
    },
}

impl Store {
    pub async fn open(location: &str) -> Result<Store, LedgerError> {
        sqlx::any::install_default_drivers();
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            Store::open_postgres(location).await
        } else {
            let path = location
                .strip_prefix("sqlite://")
                .or_else(|| location.strip_prefix("sqlite:"))
                .unwrap_or(location);
            Store::open_sqlite(Path::new(path)).await
        }
    }

    async fn open_sqlite(path: &Path) -> Result<Store, LedgerError> {
        let shown = path.display().to_string();
        let open_error = |message: String| LedgerError::Open {
            location: shown.clone(),
            message,
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let dir = dir
            .canonicalize()
            .map_err(|e| open_error(format!("its folder {}: {e}", dir.display())))?;
        let name = path
            .file_name()
            .ok_or_else(|| open_error("the path names no file".into()))?;
        let path = dir.join(name);
        if !path.exists() {
            create_sqlite(&path, &shown).await?;
        }
        check_sqlite_file(&path, &shown)?;
        let url = sqlite_url(&path, &shown)?;
        check_sqlite_database(&url, &shown).await?;
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql(sqlite_pragmas()).execute(conn).await?;
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| open_error(e.to_string()))?;
        let database = |context, e: sqlx::Error| LedgerError::Database {
            location: shown.clone(),
            context,
            message: e.to_string(),
        };
        sqlx::raw_sql("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await
            .map_err(|e| database("switching to WAL", e))?;
        SQLITE_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|e| migrate_error(&shown, e))?;
        let worker = worker_id();
        let workers = workers_dir(&path);
        std::fs::create_dir_all(&workers)
            .map_err(|e| open_error(format!("cannot create {}: {e}", workers.display())))?;
        let own = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(workers.join(&worker))
            .map_err(|e| open_error(format!("cannot create a worker lock: {e}")))?;
        own.try_lock()
            .map_err(|e| open_error(format!("cannot lock its worker file: {e}")))?;
        Ok(Store {
            pool,
            backend: Backend::Sqlite,
            location: shown,
            worker,
            liveness: Liveness::Sqlite { dir: workers, own },
            writer: Mutex::new(()),
        })
    }

    async fn open_postgres(url: &str) -> Result<Store, LedgerError> {
        let shown = redact_url(url);
        let secret = url_password(url);
        let scrub = |text: String| match &secret {
            Some(p) if !p.is_empty() => text.replace(p.as_str(), "***"),
            _ => text,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(24)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await
            .map_err(|e| LedgerError::Open {
                location: shown.clone(),
                message: scrub(e.to_string()),
            })?;
        // Migrations first: sqlx's migrator holds an advisory lock while it runs, so a second
        // process opening a new ledger waits for the first one's tables instead of finding
        // them half made (and refusing the database as no ledger).
        POSTGRES_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|e| migrate_error(&shown, e))?;
        verify_schema(&pool, &shown).await?;
        let worker = worker_id();
        let mut session = pool
            .acquire()
            .await
            .map_err(|e| LedgerError::Open {
                location: shown.clone(),
                message: scrub(e.to_string()),
            })?
            .detach();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(advisory_key(&worker))
            .execute(&mut session)
            .await
            .map_err(|e| LedgerError::Open {
                location: shown.clone(),
                message: scrub(e.to_string()),
            })?;
        Ok(Store {
            pool,
            backend: Backend::Postgres,
            location: shown,
            worker,
            liveness: Liveness::Postgres {
                session: Mutex::new(Some(session)),
            },
            writer: Mutex::new(()),
        })
    }

    /// Whether the worker `id` still runs. This process's own worker is always alive.
    pub async fn is_alive(&self, id: &str) -> Result<bool, LedgerError> {
        if id == self.worker {
            return Ok(true);
        }
        match &self.liveness {
            Liveness::Sqlite { dir, .. } => {
                if id.contains(['/', '\\']) || id.starts_with('.') {
                    return Ok(false);
                }
                let file = match OpenOptions::new().write(true).open(dir.join(id)) {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                    Err(e) => {
                        return Err(LedgerError::Database {
                            location: self.location.clone(),
                            context: "checking another worker's lock",
                            message: e.to_string(),
                        });
                    }
                };
                match file.try_lock() {
                    Ok(()) => {
                        let _ = file.unlock();
                        let _ = std::fs::remove_file(dir.join(id));
                        Ok(false)
                    }
                    Err(std::fs::TryLockError::WouldBlock) => Ok(true),
                    Err(std::fs::TryLockError::Error(e)) => Err(LedgerError::Database {
                        location: self.location.clone(),
                        context: "checking another worker's lock",
                        message: e.to_string(),
                    }),
                }
            }
            Liveness::Postgres { .. } => {
                let mut conn = self
                    .pool
                    .acquire()
                    .await
                    .map_err(|e| self.db("probing a worker", e))?;
                let key = advisory_key(id);
                let free: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
                    .bind(key)
                    .fetch_one(&mut *conn)
                    .await
                    .and_then(|row| row.try_get::<bool, _>(0))
                    .map_err(|e| self.db("probing a worker", e))?;
                if free {
                    sqlx::query("SELECT pg_advisory_unlock($1)")
                        .bind(key)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| self.db("probing a worker", e))?;
                }
                Ok(!free)
            }
        }
    }

    /// A write transaction's turn: held for the transaction's life on SQLite; nothing to wait
    /// for on PostgreSQL, whose row locks let writers run side by side.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }

    pub fn db(&self, context: &'static str, e: sqlx::Error) -> LedgerError {
        LedgerError::Database {
            location: self.location.clone(),
            context,
            message: e.to_string(),
        }
    }

    /// The first statement of a write transaction. SQLite: a write that matches nothing, so
    /// the transaction holds the write lock from its start (a deferred transaction that reads
    /// first could not upgrade while another process writes).
    pub fn write_lock_sql(&self, out_trade_no_param: bool) -> &'static str {
        match (self.backend, out_trade_no_param) {
            (Backend::Sqlite, _) => "UPDATE ledger_info SET created_at = created_at WHERE id = 0",
            (Backend::Postgres, true) => {
                "SELECT out_trade_no FROM payouts WHERE out_trade_no = $1 FOR UPDATE"
            }
            (Backend::Postgres, false) => "SELECT 1",
        }
    }

    pub async fn close(&self) {
        if self.backend == Backend::Sqlite {
            // Fold the WAL into the main file, so that a copy of the ledger file taken while no
            // run uses it holds everything.
            let _ = sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
        match &self.liveness {
            Liveness::Sqlite { dir, own } => {
                let _ = own.unlock();
                let _ = std::fs::remove_file(dir.join(&self.worker));
            }
            Liveness::Postgres { session } => {
                // Releases the worker's advisory lock before ending the session: the server
                // may notice a closed connection a moment later, and until then other workers
                // would still see this one alive.
                if let Some(mut conn) = session.lock().await.take() {
                    let _ = sqlx::query("SELECT pg_advisory_unlock_all()")
                        .execute(&mut conn)
                        .await;
                    let _ = conn.close().await;
                }
            }
        }
    }
}

fn sqlite_pragmas() -> &'static str {
    // synchronous = FULL: a commit is on disk before the ledger says it is (the intent before
    // the send); foreign keys keep events and claims tied to recorded payouts.
    const PRAGMAS: &str =
        "PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
    debug_assert!(PRAGMAS.contains(&SQLITE_BUSY_TIMEOUT_MS.to_string()));
    PRAGMAS
}

fn workers_dir(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".workers");
    path.with_file_name(name)
}

/// A new ledger appears whole or not at all: it is built under a temporary name and linked to
/// its path, which fails if another process created it first (then that one is used).
async fn create_sqlite(path: &Path, shown: &str) -> Result<(), LedgerError> {
    let open_error = |message: String| LedgerError::Open {
        location: shown.to_owned(),
        message,
    };
    let tmp = path.with_file_name(format!(
        ".{}.creating-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        worker_id()
    ));
    let url = format!("{}?mode=rwc", sqlite_url(&tmp, shown)?);
    let mut conn = AnyConnection::connect(&url)
        .await
        .map_err(|e| open_error(format!("cannot create it: {e}")))?;
    let built = async {
        sqlx::raw_sql("PRAGMA journal_mode = DELETE; PRAGMA foreign_keys = ON;")
            .execute(&mut conn)
            .await
            .map_err(|e| open_error(format!("cannot create it: {e}")))?;
        SQLITE_MIGRATIONS
            .run(&mut conn)
            .await
            .map_err(|e| migrate_error(shown, e))
    }
    .await;
    let _ = conn.close().await;
    let linked = built.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(open_error(format!("cannot create it: {e}"))),
    });
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// Refuses what cannot be a ledger before SQLite sees it: an empty file (a ledger is never
/// empty once created: a truncated one must not read as "nothing paid") or another format.
fn check_sqlite_file(path: &Path, shown: &str) -> Result<(), LedgerError> {
    let mut header = [0u8; 16];
    let mut file = File::open(path).map_err(|e| LedgerError::Open {
        location: shown.to_owned(),
        message: e.to_string(),
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err(LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: "the file is empty (truncated?)".into(),
        });
    }
    let read = file.read(&mut header).unwrap_or(0);
    if read < header.len() || &header != b"SQLite format 3\0" {
        return Err(if len < 100 {
            LedgerError::Corrupt {
                location: shown.to_owned(),
                problem: format!("the file is {len} bytes, shorter than any SQLite database"),
            }
        } else {
            LedgerError::NotALedger {
                location: shown.to_owned(),
                problem: "the file is not an SQLite database (or its first page was overwritten)"
                    .into(),
            }
        });
    }
    if len % 512 != 0 {
        return Err(LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: format!("its size ({len} bytes) is not a whole number of pages (truncated?)"),
        });
    }
    Ok(())
}

/// Opens one connection and checks the file before a pool is made (a pool would retry a
/// failing connection until its timeout and then hide why): SQLite's integrity check, then the
/// ledger's tables.
async fn check_sqlite_database(url: &str, shown: &str) -> Result<(), LedgerError> {
    let mut conn = AnyConnection::connect(&format!("{url}?mode=rw"))
        .await
        .map_err(|e| corrupt_or(shown, e))?;
    let checked = async {
        sqlx::raw_sql(sqlite_pragmas())
            .execute(&mut conn)
            .await
            .map_err(|e| corrupt_or(shown, e))?;
        let check: Vec<String> = sqlx::query("PRAGMA quick_check")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| corrupt_or(shown, e))?
            .iter()
            .map(|row| row.try_get::<String, _>(0).unwrap_or_default())
            .collect();
        if check.as_slice() != ["ok"] {
            return Err(LedgerError::Corrupt {
                location: shown.to_owned(),
                problem: format!("SQLite's integrity check says: {}", check.join("; ")),
            });
        }
        verify_schema(&mut conn, shown).await
    }
    .await;
    let _ = conn.close().await;
    checked
}

/// The tables a ledger has once migrated, and its one `ledger_info` row.
async fn verify_schema<'c, E>(executor: E, shown: &str) -> Result<(), LedgerError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT COUNT(*) FROM ledger_info WHERE id = 1")
        .fetch_one(executor)
        .await;
    match row.and_then(|r| r.try_get::<i64, _>(0)) {
        Ok(1) => Ok(()),
        Ok(_) => Err(LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: "its ledger_info row is missing".into(),
        }),
        Err(e) => {
            let message = e.to_string();
            if message.contains("no such table") || message.contains("does not exist") {
                Err(LedgerError::NotALedger {
                    location: shown.to_owned(),
                    problem: "a database without the ledger's tables".into(),
                })
            } else {
                Err(corrupt_or(shown, e))
            }
        }
    }
}

/// SQLite's "malformed" and "not a database" errors are damage; anything else is a database
/// error.
fn corrupt_or(shown: &str, e: sqlx::Error) -> LedgerError {
    let message = e.to_string();
    if message.contains("malformed") || message.contains("not a database") {
        LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: message,
        }
    } else {
        LedgerError::Database {
            location: shown.to_owned(),
            context: "checking the ledger",
            message,
        }
    }
}

fn migrate_error(shown: &str, e: sqlx::migrate::MigrateError) -> LedgerError {
    use sqlx::migrate::MigrateError;
    match e {
        MigrateError::VersionMissing(v) => LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: format!(
                "it was migrated to version {v} by a newer payermax-ledger: use that version"
            ),
        },
        MigrateError::VersionMismatch(v) => LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: format!("its migration {v} differs from this version's (edited?)"),
        },
        MigrateError::Dirty(v) => LedgerError::Corrupt {
            location: shown.to_owned(),
            problem: format!("its migration {v} did not finish"),
        },
        other => LedgerError::Database {
            location: shown.to_owned(),
            context: "running migrations",
            message: other.to_string(),
        },
    }
}

/// `sqlite://` and the absolute path, percent-encoded (sqlx decodes it, so that `?`, `#`, `%`
/// and spaces in names work).
fn sqlite_url(path: &Path, shown: &str) -> Result<String, LedgerError> {
    let text = path.to_str().ok_or_else(|| LedgerError::Open {
        location: shown.to_owned(),
        message: "the path is not valid UTF-8".into(),
    })?;
    let mut url = String::from("sqlite://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(url)
}

/// A random worker id (32 hex digits).
pub(crate) fn worker_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // Without the OS's randomness, time and process id still tell workers apart.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = (now ^ (u128::from(std::process::id()) << 96)).to_le_bytes();
    }
    crate::intent::hex(&bytes)
}

fn advisory_key(worker: &str) -> i64 {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(worker.as_bytes());
    let mut first = [0u8; 8];
    for (slot, b) in first.iter_mut().zip(digest.iter()) {
        *slot = *b;
    }
    i64::from_le_bytes(first)
}

/// A connection string without its password (`postgres://user:***@host/db`, and a
/// `password=` parameter's value replaced too).
pub fn redact_url(url: &str) -> String {
    let mut out = match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, tail) = match rest.find(['/', '?', '#']) {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
                    None => format!("{scheme}://{userinfo}@{host}{tail}"),
                },
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };
    if let Some(i) = out.find("password=") {
        let start = i + "password=".len();
        let end = out
            .get(start..)
            .and_then(|t| t.find('&'))
            .map_or(out.len(), |j| start + j);
        out.replace_range(start..end, "***");
    }
    out
}

fn url_password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let from_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, p)| p.to_owned());
    from_userinfo.or_else(|| {
        url.split_once("password=")
            .map(|(_, p)| p.split('&').next().unwrap_or("").to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded migrators are what sqlx reads from the migration folders (its own
    /// resolution, the one `migrate!` ran at compile time): the same files, versions,
    /// descriptions, kinds and checksums. A migration file added to a folder and not here, or
    /// an edit that changes a checksum, fails this test.
    #[tokio::test]
    async fn embedded_migrations_are_the_folders() {
        for (folder, embedded) in [
            ("sqlite", &*SQLITE_MIGRATIONS),
            ("postgres", &*POSTGRES_MIGRATIONS),
        ] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(folder);
            let read = match Migrator::new(path.as_path()).await {
                Ok(read) => read,
                Err(e) => panic!("{folder}: {e}"),
            };
            let shape = |m: &Migrator| -> Vec<_> {
                m.iter()
                    .map(|m| {
                        (
                            m.version,
                            m.description.to_string(),
                            m.migration_type,
                            m.checksum.to_vec(),
                            m.no_tx,
                        )
                    })
                    .collect()
            };
            assert_eq!(shape(embedded), shape(&read), "{folder}");
            assert!(!shape(&read).is_empty(), "{folder}");
        }
    }

    #[test]
    fn urls_are_shown_without_passwords() {
        assert_eq!(
            redact_url("postgres://pay:s3cret@db.local:5432/ledger"),
            "postgres://pay:***@db.local:5432/ledger"
        );
        assert_eq!(
            redact_url("postgres://pay@db.local/ledger"),
            "postgres://pay@db.local/ledger"
        );
        assert_eq!(
            redact_url("postgres://db.local/ledger?user=pay&password=s3cret"),
            "postgres://db.local/ledger?user=pay&password=***"
        );
        assert_eq!(
            url_password("postgres://pay:s3cret@db/x").as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            url_password("postgres://db/x?password=p2&sslmode=disable").as_deref(),
            Some("p2")
        );
        assert_eq!(url_password("postgres://db/x"), None);
    }

    #[test]
    fn sqlite_urls_escape_what_sqlx_decodes() {
        let url = sqlite_url(Path::new("/srv/a b/x?#%.db"), "x").unwrap_or_default();
        assert_eq!(url, "sqlite:///srv/a%20b/x%3F%23%25.db");
    }
}
