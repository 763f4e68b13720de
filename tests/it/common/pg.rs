//! A throwaway PostgreSQL cluster for the tests: made with `initdb` in a temporary folder,
//! started on loopback with `pg_ctl` the first time a test asks, shared by the whole test
//! binary (each test gets a database of its own), and stopped when the binary exits (a watcher
//! process waits for it). As root, the cluster runs as the `postgres` account, since PostgreSQL
//! refuses to run as root.
//!
//! Where PostgreSQL's programs are not installed the tests that need it say so loudly and do
//! not run, except under CI (`CI=true`), where that is a failure: `.ci/run` installs them.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use needlepoint::store::PgTarget;

pub struct PgCluster {
    pub bin: PathBuf,
    /// The certificate authority that signed the server's certificate (for 127.0.0.1).
    pub certificate: PathBuf,
    pub data: PathBuf,
    pub port: u16,
    /// The options the server was started with (a restart keeps them).
    pub options: String,
    /// The server's log file (a restart writes to it too, not to pg_ctl's output).
    pub log: PathBuf,
    /// The account the server runs as when the tests run as root (uid, gid).
    pub run_as: Option<(u32, u32)>,
}

const SUPERUSER: &str = "needlepoint_test";

static CLUSTER: OnceLock<Result<PgCluster, String>> = OnceLock::new();

/// The shared cluster, started on first use. `None` (after a loud message) where PostgreSQL is
/// not installed, outside CI.
pub fn cluster() -> Option<&'static PgCluster> {
    match CLUSTER.get_or_init(start) {
        Ok(c) => Some(c),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and the PostgreSQL tests cannot run: {why}")
        }
        Err(why) => {
            eprintln!(
                "\n!!! SKIPPED: a PostgreSQL test did not run: {why}.\n!!! Install Debian's `postgresql` (as .ci/run does) to run it.\n"
            );
            None
        }
    }
}

/// A new, empty database on the shared cluster, for one test.
pub fn fresh_database() -> Option<PgTarget> {
    let cluster = cluster()?;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = cluster.admin();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    Some(cluster.target(&name))
}

/// A new database holding an empty clinic (schema made by `server init` once, on a template the
/// cluster copies for each test: a copy is a file copy, the schema's ~1 s is paid once).
pub fn initialised_database() -> Option<PgTarget> {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    let cluster = cluster()?;
    let template = TEMPLATE.get_or_init(|| {
        let name = format!("clinic_template_{}", uuid::Uuid::new_v4().simple());
        cluster
            .admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the template database");
        needlepoint::store::init_server(&cluster.target(&name), None, super::fixed_now())
            .expect("server init on the template");
        name
    });
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    cluster
        .admin()
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .expect("copy the template database");
    Some(cluster.target(&name))
}

impl PgCluster {
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    pub fn target(&self, database: &str) -> PgTarget {
        PgTarget::parse(&self.url(database)).expect("test server address")
    }

    /// A connection as the cluster's superuser to its `postgres` database.
    pub fn admin(&self) -> postgres::Client {
        self.connect_to("postgres")
    }

    /// A connection as the cluster's superuser to `database`.
    pub fn connect_to(&self, database: &str) -> postgres::Client {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(SUPERUSER)
            .dbname(database)
            .connect(postgres::NoTls)
            .expect("connect to the test database")
    }

    /// Stops the server without a clean shutdown (as a power cut would leave it) and starts it
    /// again: it recovers from its write-ahead log.
    pub fn restart_immediately(&self) -> std::process::Output {
        let log = self.log.display().to_string();
        self.pg_ctl(&[
            "-w",
            "-t",
            "60",
            "-m",
            "immediate",
            "-o",
            &self.options,
            "-l",
            &log,
            "restart",
        ])
    }

    /// `pg_ctl` with the cluster's data folder, as the account that owns it.
    pub fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(self.bin.join("pg_ctl"));
        cmd.arg("-D").arg(&self.data).args(args);
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.stdin(Stdio::null()).output().expect("run pg_ctl")
    }
}

/// Where `initdb` and `pg_ctl` are: on PATH, or Debian's versioned folder (newest first).
fn find_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
        .map(|d| {
            std::fs::canonicalize(d.join("initdb"))
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .unwrap_or(d)
        });
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// The `postgres` account's uid and gid, to run the server as when the tests run as root.
fn postgres_account() -> Result<(u32, u32), String> {
    let passwd =
        std::fs::read_to_string("/etc/passwd").map_err(|e| format!("cannot read /etc/passwd: {e}"))?;
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&"postgres") && f.len() > 3)
        .and_then(|f| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
        .ok_or_else(|| {
            "the tests run as root and there is no `postgres` account to run the server as".to_owned()
        })
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on loopback: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A cluster of the test's own (one it may restart or stop), stopped when dropped.
pub struct PrivateCluster(pub PgCluster);

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        self.0.pg_ctl(&["-m", "immediate", "stop"]);
    }
}

/// A cluster for one test alone; `None` as [`cluster`] (said loudly, a failure under CI).
pub fn private_cluster() -> Option<PrivateCluster> {
    match start() {
        Ok(c) => Some(PrivateCluster(c)),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and a PostgreSQL test cannot start its cluster: {why}")
        }
        Err(why) => {
            eprintln!("\n!!! SKIPPED: a PostgreSQL test did not run: {why}.\n");
            None
        }
    }
}

fn start() -> Result<PgCluster, String> {
    let bin = find_bin()
        .ok_or("PostgreSQL's initdb and pg_ctl were not found (on PATH or in /usr/lib/postgresql)")?;
    let run_as = if is_root() {
        Some(postgres_account()?)
    } else {
        None
    };
    static CLUSTERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CLUSTERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!("needlepoint-pg-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot make {}: {e}", root.display()))?;
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).map_err(|e| e.to_string())?;
    if let Some((uid, gid)) = run_as {
        std::os::unix::fs::chown(&root, Some(uid), Some(gid))
            .map_err(|e| format!("cannot give {} to postgres: {e}", root.display()))?;
    }
    let data = root.join("data");
    let as_owner = |cmd: &mut Command| {
        if let Some((uid, gid)) = run_as {
            cmd.uid(uid).gid(gid);
        }
    };
    let mut initdb = Command::new(bin.join("initdb"));
    initdb
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ])
        .stdin(Stdio::null());
    as_owner(&mut initdb);
    let made = initdb
        .output()
        .map_err(|e| format!("initdb could not run: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&made.stderr)
        ));
    }
    let port = free_port()?;
    // The clinic's own certificate authority and the server's certificate signed by it (for
    // 127.0.0.1): desks encrypt to it, and verify it when given the authority.
    let cert = root.join("ca.crt");
    let script = "set -e; cd \"$1\"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Clinic CA' -keyout ca.key -out ca.crt 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
            -out server.crt 2>/dev/null
        chmod 600 server.key";
    let mut openssl = Command::new("sh");
    openssl
        .args(["-c", script, "sh"])
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    as_owner(&mut openssl);
    let made = openssl
        .output()
        .map_err(|e| format!("openssl could not run: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "openssl failed: {}",
            String::from_utf8_lossy(&made.stderr)
        ));
    }
    let options = format!(
        "-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=128MB \
         -c ssl=on -c ssl_cert_file={root}/server.crt -c ssl_key_file={root}/server.key",
        root = root.display()
    );
    let log = root.join("server.log");
    let cluster = PgCluster {
        certificate: cert,
        bin,
        data,
        port,
        options: options.clone(),
        log: log.clone(),
        run_as,
    };
    let started = cluster.pg_ctl(&[
        "-w",
        "-t",
        "60",
        "-o",
        &options,
        "-l",
        &log.display().to_string(),
        "start",
    ]);
    if !started.status.success() {
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!(
            "pg_ctl start failed: {}{log_text}",
            String::from_utf8_lossy(&started.stderr)
        ));
    }
    watch_for_exit(&cluster, &root);
    Ok(cluster)
}

/// A detached watcher stops the cluster and removes its folder once this test binary exits.
fn watch_for_exit(cluster: &PgCluster, root: &Path) {
    let script = format!(
        "while [ -d /proc/{pid} ]; do sleep 0.5; done; {pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {root}",
        pid = std::process::id(),
        pg_ctl = cluster.bin.join("pg_ctl").display(),
        data = cluster.data.display(),
        root = root.display()
    );
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some((uid, gid)) = cluster.run_as {
        cmd.uid(uid).gid(gid);
    }
    cmd.process_group(0);
    if let Err(e) = cmd.spawn() {
        eprintln!("could not start the watcher that stops the test PostgreSQL cluster: {e}");
    }
}
