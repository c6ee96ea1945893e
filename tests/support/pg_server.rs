//! A throwaway PostgreSQL server for the tests and the store bench: `initdb` and `pg_ctl` in a
//! temporary folder, listening on a Unix socket in that folder and on a free port of
//! 127.0.0.1, stopped when the value is dropped (or, for the one shared by a test process,
//! when the process exits).
//!
//! PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
//! `postgres` user (`runuser`), in a folder handed to it. Connections over the socket are
//! trusted; connections over TCP need the password [`PASSWORD`], so a wrong password can be
//! tested.
//!
//! Where no server can be started (no PostgreSQL on the machine), [`shared`] says so on
//! standard error and tests skip, unless `CABLETRIAGE_REQUIRE_PG` is set (as `.ci/run` sets
//! it): then they fail.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The superuser the server is created with.
pub const SUPERUSER: &str = "cabletriage";
/// The superuser's password, asked on TCP connections.
pub const PASSWORD: &str = "throwaway-secret";

pub struct PgServer {
    /// Holds the data folder and the socket; removed after the server stops.
    root: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    /// `fsync` on (a bench's commit times); the tests run without it.
    durable: bool,
}

impl PgServer {
    /// Creates and starts a server for tests (no fsync: nothing here outlives the test),
    /// or says why it cannot.
    pub fn start() -> Result<PgServer, String> {
        PgServer::start_with(false)
    }

    /// A server that syncs its commits to disk, as a real one does (for benchmarks).
    pub fn start_durable() -> Result<PgServer, String> {
        PgServer::start_with(true)
    }

    fn start_with(durable: bool) -> Result<PgServer, String> {
        let bin = find_bin().ok_or("no PostgreSQL server binaries (initdb, pg_ctl) found")?;
        let as_postgres = is_root();
        let root = temp_root()?;
        let server = PgServer {
            root,
            bin,
            port: free_port()?,
            as_postgres,
            durable,
        };
        if as_postgres {
            hand_to_postgres(&server.root)?;
        }
        let pwfile = server.root.join("pw");
        std::fs::write(&pwfile, PASSWORD)
            .map_err(|e| format!("write {}: {e}", pwfile.display()))?;
        if as_postgres {
            hand_to_postgres(&pwfile)?;
        }
        let data = server.data();
        server.run(
            "initdb",
            &[
                "-D",
                &path_str(&data)?,
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                &format!("--pwfile={}", path_str(&pwfile)?),
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        )?;
        server.pg_ctl_start()?;
        Ok(server)
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The folder of the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `db` over the Unix socket (trusted, no password).
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@{}:{}/{db}",
            percent_encode(&self.root.to_string_lossy()),
            self.port
        )
    }

    /// The URL of database `db` over TCP on 127.0.0.1, with `password` (None: none given).
    pub fn tcp_url(&self, db: &str, password: Option<&str>) -> String {
        match password {
            Some(pw) => format!("postgres://{SUPERUSER}:{pw}@127.0.0.1:{}/{db}", self.port),
            None => format!("postgres://{SUPERUSER}@127.0.0.1:{}/{db}", self.port),
        }
    }

    /// Creates an empty database with a name of its own and returns the name.
    pub fn create_database(&self, prefix: &str) -> Result<String, String> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{prefix}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(|e| format!("connect to the throwaway server: {e}"))?;
        // A name made here of letters, digits and underscores only.
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|e| format!("create database {name}: {e}"))?;
        Ok(name)
    }

    /// Runs SQL on database `db` as the superuser.
    pub fn sql(&self, db: &str, sql: &str) -> Result<(), String> {
        let mut client = postgres::Client::connect(&self.url(db), postgres::NoTls)
            .map_err(|e| format!("connect to {db}: {e}"))?;
        client.batch_execute(sql).map_err(|e| {
            let detail = e.as_db_error().map(|d| d.message().to_string());
            format!("{sql}: {e} {}", detail.unwrap_or_default())
        })
    }

    /// Stops the server at once (connections are cut), keeping its data.
    pub fn stop(&self) -> Result<(), String> {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &path_str(&self.data())?,
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        )
    }

    /// Starts it again after [`PgServer::stop`], on the same port and socket.
    pub fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=100",
            path_str(&self.root)?,
            self.port,
            if self.durable { "on" } else { "off" }
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &path_str(&self.data())?,
                "-l",
                &path_str(&self.root.join("log"))?,
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
    }

    /// Turns TLS on with a new certificate for `localhost` and 127.0.0.1, signed by a new
    /// CA, and returns the CA's certificate (what a client must trust).
    pub fn enable_tls(&self) -> Result<PathBuf, String> {
        let at = |name: &str| self.root.join(name);
        let (ca_cert, ca_key) = (at("ca.crt"), at("ca.key"));
        let (cert, key, request) = (at("server.crt"), at("server.key"), at("server.csr"));
        let extensions = at("server.ext");
        std::fs::write(
            &extensions,
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .map_err(|e| format!("{}: {e}", extensions.display()))?;
        let p = |p: &PathBuf| path_str(p);
        let steps: [Vec<String>; 3] = [
            vec![
                "req".into(),
                "-x509".into(),
                "-newkey".into(),
                "rsa:2048".into(),
                "-nodes".into(),
                "-days".into(),
                "2".into(),
                "-subj".into(),
                "/CN=cabletriage test CA".into(),
                "-keyout".into(),
                p(&ca_key)?,
                "-out".into(),
                p(&ca_cert)?,
            ],
            vec![
                "req".into(),
                "-newkey".into(),
                "rsa:2048".into(),
                "-nodes".into(),
                "-subj".into(),
                "/CN=localhost".into(),
                "-keyout".into(),
                p(&key)?,
                "-out".into(),
                p(&request)?,
            ],
            vec![
                "x509".into(),
                "-req".into(),
                "-in".into(),
                p(&request)?,
                "-CA".into(),
                p(&ca_cert)?,
                "-CAkey".into(),
                p(&ca_key)?,
                "-CAcreateserial".into(),
                "-days".into(),
                "2".into(),
                "-extfile".into(),
                p(&extensions)?,
                "-out".into(),
                p(&cert)?,
            ],
        ];
        for args in steps {
            let out = Command::new("openssl")
                .args(&args)
                .current_dir(&self.root)
                .output()
                .map_err(|e| format!("run openssl: {e}"))?;
            if !out.status.success() {
                return Err(format!("openssl: {}", String::from_utf8_lossy(&out.stderr)));
            }
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", key.display()))?;
        if self.as_postgres {
            hand_to_postgres(&key)?;
            hand_to_postgres(&cert)?;
        }
        // One statement each: ALTER SYSTEM refuses to run inside a transaction.
        for statement in [
            format!("ALTER SYSTEM SET ssl_cert_file = '{}'", path_str(&cert)?),
            format!("ALTER SYSTEM SET ssl_key_file = '{}'", path_str(&key)?),
            "ALTER SYSTEM SET ssl = on".to_string(),
            "SELECT pg_reload_conf()".to_string(),
        ] {
            self.sql("postgres", &statement)?;
        }
        Ok(ca_cert)
    }

    /// The server's log, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("log")).unwrap_or_default()
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("run {}: {e}", exe.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// One server for the whole test process, started on first use and stopped at exit. `None`
/// (after saying so) when none can be started and `CABLETRIAGE_REQUIRE_PG` is not set.
pub fn shared(test: &str) -> Option<&'static PgServer> {
    static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();
    static ROOT: Mutex<Option<(PathBuf, PathBuf, bool)>> = Mutex::new(None);
    let server = SERVER.get_or_init(|| match PgServer::start() {
        Ok(s) => {
            if let Ok(mut root) = ROOT.lock() {
                *root = Some((s.data(), s.bin.clone(), s.as_postgres));
            }
            // SAFETY: registering a plain function with no captured state.
            unsafe { libc::atexit(stop_at_exit) };
            Some(s)
        }
        Err(why) => {
            if std::env::var_os("CABLETRIAGE_REQUIRE_PG").is_some() {
                panic!("CABLETRIAGE_REQUIRE_PG is set but no PostgreSQL server starts: {why}");
            }
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped: {test} needs a PostgreSQL server, which cannot start here: {why}"
            );
            None
        }
    });

    extern "C" fn stop_at_exit() {
        let Ok(root) = ROOT.lock() else { return };
        let Some((data, bin, as_postgres)) = root.as_ref() else {
            return;
        };
        let exe = bin.join("pg_ctl");
        let mut cmd = if *as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = cmd
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(root) = data.parent() {
            let _ = std::fs::remove_dir_all(root);
        }
    }

    server.as_ref()
}

/// `$PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`, else `pg_config --bindir`.
fn find_bin() -> Option<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PG_BIN").map(PathBuf::from) {
        return has_tools(&dir).then_some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| has_tools(d))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Some(dir);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    has_tools(&dir).then_some(dir)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A new private folder for the server. Short, because a Unix socket's path is limited to
/// about 100 bytes.
fn temp_root() -> Result<PathBuf, String> {
    let dir = tempfile::Builder::new()
        .prefix("ctpg")
        .tempdir_in("/tmp")
        .map_err(|e| format!("create a folder in /tmp: {e}"))?;
    Ok(dir.keep())
}

/// Gives `path` to the `postgres` user, who runs the server when the tests are root.
fn hand_to_postgres(path: &Path) -> Result<(), String> {
    let status = Command::new("chown")
        .arg("postgres:")
        .arg(path)
        .status()
        .map_err(|e| format!("chown: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot give {} to the postgres user (is there one?)",
            path.display()
        ))
    }
}

/// A port nobody listens on now (the kernel picks it).
fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("find a port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("find a port: {e}"))
}

fn path_str(p: &Path) -> Result<String, String> {
    p.to_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{} is not UTF-8", p.display()))
}

/// The socket folder as a URL host: every byte but letters, digits, `-`, `.` and `_`
/// percent-encoded.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
