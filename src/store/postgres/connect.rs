//! Reaching a PostgreSQL store: telling a server URL from a file path, masking its password
//! wherever it is shown, finding the password (the URL, `$PGPASSWORD`, `~/.pgpass`, as
//! libpq does), and mapping the driver's errors to [`StoreErrorKind`]s an analyst can act on.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

use crate::store::error::{StoreError, StoreErrorKind};

/// How long to wait for a server before saying it cannot be reached.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a `--store` value names a PostgreSQL server rather than a SQLite file.
pub fn is_server_url(location: &str) -> bool {
    let lower = location.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL with its password replaced by `***`, in the user part and in a `password=`
/// parameter: the only form of a location that is ever printed or stored in messages.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest_at = scheme_end + 3;
    let rest = &url[rest_at..];
    let authority_len = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let mut masked = url[..rest_at].to_string();
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    masked.push_str(&userinfo[..colon]);
                    masked.push_str(":***");
                }
                None => masked.push_str(userinfo),
            }
            masked.push_str(&authority[at..]);
        }
        None => masked.push_str(authority),
    }
    let tail = &rest[authority_len..];
    match tail.split_once('?') {
        Some((path, query)) => {
            masked.push_str(path);
            masked.push('?');
            let params: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            masked.push_str(&params.join("&"));
        }
        None => masked.push_str(tail),
    }
    masked
}

/// How to reach a server: the driver's configuration, and TLS when asked for.
#[derive(Clone)]
pub struct Connector {
    pub config: postgres::Config,
    /// `None`: plain connections (`sslmode` absent, `disable` or `prefer`).
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
}

impl Connector {
    /// Reads `url` (see [`config`] and [`tls_options`]).
    pub fn new(url: &str, location: &Path) -> Result<Connector, StoreError> {
        let (url, tls) = tls_options(url.trim());
        let config = config(&url, location)?;
        let tls = match tls {
            Tls::Plain => None,
            Tls::Verified { root_cert } => Some(tls_connector(root_cert.as_deref(), location)?),
        };
        Ok(Connector { config, tls })
    }

    pub fn connect(&self) -> Result<postgres::Client, postgres::Error> {
        match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(postgres::NoTls),
        }
    }
}

/// What a URL asks of TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    Plain,
    /// Encrypted, the server's certificate checked against the system's roots and the
    /// `sslrootcert` file, and its name against the host.
    Verified {
        root_cert: Option<std::path::PathBuf>,
    },
}

/// Takes libpq's TLS parameters out of `url` (the driver knows only some of them):
/// `sslmode=require`, `verify-ca` and `verify-full` all mean [`Tls::Verified`] (stricter
/// than libpq's `require`, which checks nothing: a team store holds what analysts decided
/// about classified cables); `sslrootcert=PATH` (or `$PGSSLROOTCERT`) adds a CA to trust.
/// `disable`, `allow`, `prefer` and no `sslmode` connect in plain text.
pub fn tls_options(url: &str) -> (String, Tls) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Tls::Plain);
    };
    let mut kept = Vec::new();
    let (mut verified, mut root_cert) = (false, None);
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match (
            k.to_ascii_lowercase().as_str(),
            v.to_ascii_lowercase().as_str(),
        ) {
            ("sslmode", "require" | "verify-ca" | "verify-full") => verified = true,
            ("sslmode", _) => {}
            ("sslrootcert", _) => {
                let decoded = percent_decode(v);
                root_cert = Some(std::path::PathBuf::from(decoded));
            }
            _ => kept.push(kv),
        }
    }
    if verified {
        kept.push("sslmode=require");
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    if !verified {
        return (url, Tls::Plain);
    }
    let root_cert = root_cert.or_else(|| {
        std::env::var_os("PGSSLROOTCERT")
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    });
    (url, Tls::Verified { root_cert })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// rustls with the system's roots and, when given, the CA certificates of `root_cert`.
fn tls_connector(
    root_cert: Option<&Path>,
    location: &Path,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let invalid = |detail: String| StoreError::new(location, StoreErrorKind::Invalid { detail });
    let mut roots = rustls::RootCertStore::empty();
    // The system's store may hold certificates rustls cannot read: they are skipped.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(file) = root_cert {
        let certs = CertificateDer::pem_file_iter(file)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| invalid(format!("sslrootcert {}: {e}", file.display())))?;
        if certs.is_empty() {
            return Err(invalid(format!(
                "sslrootcert {}: no certificate in it",
                file.display()
            )));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| invalid(format!("sslrootcert {}: {e}", file.display())))?;
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The driver's configuration for `url`: the user defaults to the login name, the password
/// comes from the URL, else `$PGPASSWORD`, else the first matching line of `~/.pgpass`
/// (or `$PGPASSFILE`), and a connection waits at most [`CONNECT_TIMEOUT`].
pub fn config(url: &str, location: &Path) -> Result<postgres::Config, StoreError> {
    let mut config = postgres::Config::from_str(url.trim()).map_err(|e| {
        StoreError::new(
            location,
            StoreErrorKind::Invalid {
                detail: format!("not a PostgreSQL URL: {e}"),
            },
        )
    })?;
    if config.get_user().is_none() {
        let user = crate::store::location::login_name().unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_hosts().is_empty() {
        // libpq's default: the local socket folder of Debian's packages.
        config.host_path("/var/run/postgresql");
    }
    if config.get_password().is_none()
        && let Some(password) = password_from_environment(&config)
    {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.application_name("cabletriage");
    Ok(config)
}

fn password_from_environment(config: &postgres::Config) -> Option<String> {
    if let Some(pw) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Some(pw);
    }
    let file = match std::env::var_os("PGPASSFILE") {
        Some(f) => std::path::PathBuf::from(f),
        None => directories::BaseDirs::new()?.home_dir().join(".pgpass"),
    };
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq matches socket connections as `localhost`.
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    pgpass_lookup(&text, [&host, &port, db, user])
}

/// The password of the first `host:port:database:user:password` line of a pgpass file that
/// matches (`*` matches anything; `\:` and `\\` are a colon and a backslash).
pub fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(want)
            .all(|(field, wanted)| field == "*" || field == wanted);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

/// A driver error as a store error naming the (masked) server, classified so that an
/// unreachable server, a refused login and a read-only server get their own words.
pub fn server_error(location: &Path, doing: &'static str, e: &postgres::Error) -> StoreError {
    let kind = match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let detail = db.message().to_string();
            match code {
                // invalid_password, invalid_authorization_specification
                "28P01" | "28000" => StoreErrorKind::Refused { detail },
                // invalid_catalog_name: the database does not exist.
                "3D000" => StoreErrorKind::Refused { detail },
                // read_only_sql_transaction, insufficient_privilege
                "25006" | "42501" => StoreErrorKind::ReadOnly { detail },
                // admin_shutdown, crash_shutdown, cannot_connect_now
                "57P01" | "57P02" | "57P03" => StoreErrorKind::Unreachable { detail },
                _ => StoreErrorKind::Server { doing, detail },
            }
        }
        None if e.is_closed() || is_connection_problem(e) => StoreErrorKind::Unreachable {
            detail: with_causes(e),
        },
        None => StoreErrorKind::Server {
            doing,
            detail: with_causes(e),
        },
    };
    StoreError::new(location, kind)
}

/// The error and what caused it (a TLS handshake fails for a reason: an unknown issuer, a
/// name that does not match), each said once.
fn with_causes(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let said = s.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = s.source();
    }
    text
}

/// An error below the protocol: a refused or timed-out connection, a broken socket.
fn is_connection_problem(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    let text = e.to_string();
    text.contains("timeout") || text.contains("connection") || text.contains("closed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_told_from_paths() {
        assert!(is_server_url("postgres://u@h/db"));
        assert!(is_server_url("PostgreSQL://h/db"));
        assert!(!is_server_url("/srv/triage.sqlite"));
        assert!(!is_server_url("postgres.sqlite"));
    }

    #[test]
    fn passwords_are_masked_in_the_user_part_and_the_parameters() {
        assert_eq!(
            mask_password("postgres://alice:s3cr@t@db.example:5432/triage"),
            "postgres://alice:***@db.example:5432/triage"
        );
        assert_eq!(
            mask_password("postgres://alice@db/triage?sslmode=require&password=hunter2"),
            "postgres://alice@db/triage?sslmode=require&password=***"
        );
        assert_eq!(
            mask_password("postgresql://db/triage"),
            "postgresql://db/triage"
        );
        assert_eq!(
            mask_password("postgres://bob:pw@%2Ftmp%2Fs:5/x"),
            "postgres://bob:***@%2Ftmp%2Fs:5/x"
        );
    }

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    other:5432:*:alice:wrong\n\
                    db.example:*:triage:alice:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["db.example", "5432", "triage", "alice"]).as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, ["x", "1", "y", "z"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:b:c\n", ["a", "b", "c", "d"]), None);
    }

    #[test]
    fn tls_parameters_are_taken_out_of_the_url() {
        assert_eq!(
            tls_options("postgres://h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&x=1"),
            (
                "postgres://h/db?x=1&sslmode=require".to_string(),
                Tls::Verified {
                    root_cert: Some("/etc/ca.pem".into())
                }
            )
        );
        assert_eq!(
            tls_options("postgres://h/db?sslmode=prefer"),
            ("postgres://h/db".to_string(), Tls::Plain)
        );
        assert_eq!(
            tls_options("postgres://h/db"),
            ("postgres://h/db".to_string(), Tls::Plain)
        );
    }

    #[test]
    fn a_missing_root_certificate_is_named() {
        let Err(e) = Connector::new(
            "postgres://h/db?sslmode=require&sslrootcert=/nonexistent/ca.pem",
            Path::new("postgres://h/db"),
        ) else {
            panic!("a missing CA file was accepted");
        };
        assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
    }

    #[test]
    fn a_bad_url_is_reported_with_the_location() {
        let e = config(
            "postgres://h:notaport/db",
            Path::new("postgres://h:notaport/db"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a PostgreSQL URL"), "{e}");
    }
}
