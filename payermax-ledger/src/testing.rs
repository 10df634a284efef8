//! A real PostgreSQL server for tests (feature `testing`): a cluster made with `initdb` in a
//! temporary folder, started with `pg_ctl` on a free loopback port, stopped and removed on
//! drop. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
//! (Debian's `postgresql` package creates it). The binaries come from `PAYERMAX_PG_BIN`, else
//! `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A running throw-away PostgreSQL server.
#[derive(Debug)]
pub struct TempPostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl TempPostgres {
    /// Makes and starts the cluster, with `fsync` off (tests: a throw-away server need not
    /// survive a power cut). Fails with a message saying what is missing.
    pub fn start() -> Result<TempPostgres, String> {
        TempPostgres::start_with(false)
    }

    /// Like [`TempPostgres::start`], with `fsync` on: commits reach the disk, as on a real
    /// server (benchmarks).
    pub fn start_with_fsync() -> Result<TempPostgres, String> {
        TempPostgres::start_with(true)
    }

    fn start_with(fsync: bool) -> Result<TempPostgres, String> {
        let bin = pg_bin()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "payermax-pg-{}-{}",
            std::process::id(),
            crate::store::worker_id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if as_postgres {
            let owner = run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
            if !owner.status.success() {
                return Err(format!(
                    "chown postgres {}: {} (is Debian's postgresql package installed?)",
                    dir.display(),
                    String::from_utf8_lossy(&owner.stderr)
                ));
            }
        }
        let port = free_port()?;
        let mut server = TempPostgres {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = server.dir.join("data");
        server.pg(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200",
            server.dir.display(),
            if fsync { "on" } else { "off" }
        );
        let log = server.dir.join("log");
        let started = server.pg(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-o",
                &options,
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        if let Err(e) = started {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            server.port = 0;
            return Err(format!("{e}\n{log}"));
        }
        Ok(server)
    }

    /// Creates database `name` and returns its URL.
    pub fn database(&self, name: &str) -> Result<String, String> {
        self.pg(
            "createdb",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                name,
            ],
        )?;
        Ok(self.url(name))
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    fn pg(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let program = self.bin.join(tool);
        let output = if self.as_postgres {
            run(Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .current_dir(&self.dir))?
        } else {
            run(Command::new(&program).args(args).current_dir(&self.dir))?
        };
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if self.port != 0 {
            let data = self.dir.join("data").display().to_string();
            let _ = self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(command: &mut Command) -> Result<Output, String> {
    command
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))
}

fn pg_bin() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("PAYERMAX_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && dir.join("initdb").exists() {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| no_postgres())?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(no_postgres)
}

fn no_postgres() -> String {
    "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package, or set PAYERMAX_PG_BIN".into()
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
