//! The store's behaviour tests, once per engine: `on_both_engines!` writes a test for a SQLite
//! file and one for a database on the tests' own PostgreSQL cluster (`pg.rs`), same body.

use needlepoint::store::Store;

use super::{add_lead, fixed_now, temp_db, TempDb};

/// A test clinic's open store, and what keeps its database alive for the test.
pub struct Clinic {
    pub store: Store,
    /// The file's folder (SQLite); the server database is dropped with the cluster.
    pub file: Option<TempDb>,
    /// The server database's address (PostgreSQL).
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A new clinic on `engine` with the lead's account, opened with the tests' fixed clock.
/// `None` only where PostgreSQL is not installed outside CI (said loudly by `pg.rs`).
pub fn clinic(engine: Engine) -> Option<Clinic> {
    let clinic = match engine {
        Engine::Sqlite => {
            let db = temp_db();
            let store = Store::open_with_clock(&db.path, fixed_now).expect("open the file");
            Clinic {
                store,
                file: Some(db),
                url: None,
            }
        }
        Engine::Postgres => {
            let target = super::pg::fresh_database()?;
            needlepoint::store::init_server(&target, None, fixed_now()).expect("server init");
            let url = target.shown().to_owned();
            let store =
                Store::open_with_clock(std::path::Path::new(&url), fixed_now).expect("open the server");
            Clinic {
                store,
                file: None,
                url: Some(url),
            }
        }
    };
    add_lead(&clinic.store);
    Some(clinic)
}

impl Clinic {
    /// Where the store is: the file's path or the server's address (as `--db` takes it).
    pub fn db_arg(&self) -> std::path::PathBuf {
        match (&self.file, &self.url) {
            (Some(f), _) => f.path.clone(),
            (None, Some(url)) => std::path::PathBuf::from(url),
            (None, None) => unreachable!("a clinic has a file or a server"),
        }
    }

    /// Another connection to the same database (a second desk).
    pub fn another_desk(&self) -> Store {
        Store::open_with_clock(&self.db_arg(), fixed_now).expect("open again")
    }
}

/// `on_both_engines!(name, |clinic: &mut Clinic| { ... })`: the tests `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! on_both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let mut clinic = $crate::common::engines::clinic($crate::common::engines::Engine::Sqlite)
                    .expect("a SQLite clinic");
                let body: fn(&mut $crate::common::engines::Clinic) = $body;
                body(&mut clinic);
            }

            #[test]
            fn postgres() {
                let Some(mut clinic) =
                    $crate::common::engines::clinic($crate::common::engines::Engine::Postgres)
                else {
                    return;
                };
                let body: fn(&mut $crate::common::engines::Clinic) = $body;
                body(&mut clinic);
            }
        }
    };
}
