//! `needlepoint photo import | list | export`: a clinic bringing years of photos off USB sticks,
//! and a photo given out (for the client, or for marketing with its consent).

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

use super::outln;
use super::{load_protocol, CliError};
use crate::domain::{Act, ClientId, PhotoId, PhotoTags, PhotoView, SessionId};
use crate::store::{PhotoUse, Store};

#[derive(Debug, clap::Subcommand)]
pub enum PhotoCommand {
    /// Import photo files (JPEG or PNG) into a client's record: turned upright, every piece of
    /// metadata (GPS position, camera serial) removed, stored by their SHA-256 in photos/.
    /// Needs the client's signed photographs consent.
    Import {
        #[arg(long, value_name = "ID")]
        client: String,
        /// The session the photos belong to (its id).
        #[arg(long, value_name = "ID")]
        session: Option<String>,
        /// The treatment area shown, as the protocol names it (e.g. cheeks, forehead).
        #[arg(long, value_name = "AREA")]
        area: String,
        /// front, left_45, left_90, right_45, right_90 or close_up.
        #[arg(long, value_name = "VIEW", default_value = "front")]
        view: String,
        /// The day taken (YYYY-MM-DD); default the camera's date in the file, else the file's.
        #[arg(long, value_name = "YYYY-MM-DD")]
        taken: Option<String>,
        /// The photo files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List a client's photos: id, area, view, date, size, hash, hidden or erased.
    List {
        #[arg(long, value_name = "ID")]
        client: String,
    },
    /// Write a photo's original to a file (audited). --marketing needs the marketing consent.
    Export {
        #[arg(long, value_name = "ID")]
        photo: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The photo is for the clinic's marketing.
        #[arg(long)]
        marketing: bool,
    },
}

fn bad(message: String) -> CliError {
    CliError { message, code: 2 }
}

pub fn run(db: Option<PathBuf>, who: Option<&str>, command: PhotoCommand) -> Result<(), CliError> {
    let today = chrono::Local::now().date_naive();
    match command {
        PhotoCommand::Import {
            client,
            session,
            area,
            view,
            taken,
            files,
        } => {
            let request = ImportRequest {
                client: super::rights::client_id(&client)?,
                session: session
                    .map(|s| {
                        s.parse::<SessionId>()
                            .map_err(|_| bad(format!("--session \"{s}\" is not a session id.")))
                    })
                    .transpose()?,
                area,
                view: PhotoView::from_code(&view)?,
                taken: taken
                    .map(|t| {
                        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                            bad(format!("--taken \"{t}\" is not a date: write it as 2026-11-30."))
                        })
                    })
                    .transpose()?,
            };
            import(db, who, &request, &files, today)
        }
        PhotoCommand::List { client } => list(db, super::rights::client_id(&client)?),
        PhotoCommand::Export {
            photo,
            out,
            marketing,
        } => {
            let id: PhotoId = photo.parse().map_err(|_| {
                bad(format!(
                    "--photo \"{photo}\" is not a photo id (see `photo list`)."
                ))
            })?;
            let mut store = super::rights::existing_store(db)?;
            let actor = super::who::writer(&mut store, who, Act::ExportClient)?;
            let purpose = if marketing {
                PhotoUse::Marketing
            } else {
                PhotoUse::Client
            };
            store.export_photo(&actor, id, purpose, &out, today)?;
            outln!("The photo was written to {}", out.display());
            Ok(())
        }
    }
}

struct ImportRequest {
    client: ClientId,
    session: Option<SessionId>,
    area: String,
    view: PhotoView,
    taken: Option<NaiveDate>,
}

fn import(
    db: Option<PathBuf>,
    who: Option<&str>,
    request: &ImportRequest,
    files: &[PathBuf],
    today: NaiveDate,
) -> Result<(), CliError> {
    let protocol = load_protocol()?;
    let area = protocol
        .areas
        .iter()
        .find(|a| {
            a.id.eq_ignore_ascii_case(request.area.trim()) || a.name.eq_ignore_ascii_case(request.area.trim())
        })
        .ok_or_else(|| {
            bad(format!(
                "--area \"{}\" is not a treatment area of the protocol. Use one of: {}",
                request.area,
                protocol
                    .areas
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let mut store = super::rights::existing_store(db)?;
    if store.client(request.client)?.is_none() {
        return Err(bad(format!(
            "There is no client {} in this database.",
            request.client
        )));
    }
    let actor = super::who::writer(&mut store, who, Act::Photos)?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("Importing photos [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    if files.len() < 2 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut failed = Vec::new();
    for file in files {
        match import_one(&mut store, &actor, request, &area.id, file, today) {
            Ok(id) => bar.println(format!(
                "{}: stored as photo {id}",
                crate::imaging::shown_name(file)
            )),
            Err(message) => {
                bar.println(message.clone());
                failed.push(message);
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    outln!(
        "{} of {} photo(s) stored.",
        files.len() - failed.len(),
        files.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(bad(format!(
            "{} photo(s) were not stored (see above).",
            failed.len()
        )))
    }
}

fn import_one(
    store: &mut Store,
    actor: &crate::domain::Actor,
    request: &ImportRequest,
    area: &str,
    file: &Path,
    today: NaiveDate,
) -> Result<PhotoId, String> {
    let name = crate::imaging::shown_name(file);
    let bytes = crate::imaging::read_photo_file(file).map_err(|e| e.to_string())?;
    let taken_on = request
        .taken
        .or_else(|| crate::imaging::taken_on(&bytes))
        .or_else(|| {
            let modified = std::fs::metadata(file).ok()?.modified().ok()?;
            Some(chrono::DateTime::<chrono::Local>::from(modified).date_naive())
        })
        .unwrap_or(today)
        .min(today);
    let prepared = crate::imaging::prepare(&bytes, &name).map_err(|e| e.to_string())?;
    let tags = PhotoTags {
        area: area.to_owned(),
        view: request.view,
        taken_on,
        session: request.session,
    };
    store
        .import_photo(actor, request.client, &tags, &prepared, today)
        .map_err(|e| format!("{name}: {e}"))
}

fn list(db: Option<PathBuf>, client: ClientId) -> Result<(), CliError> {
    let store = super::rights::existing_store(db)?;
    let photos = store.photos_of(client)?;
    if photos.is_empty() {
        outln!("No photos for client {client}.");
    }
    for p in photos {
        let state = if p.erased {
            " (erased: client anonymised)".to_owned()
        } else if let Some(h) = &p.hidden {
            format!(" (hidden: {})", h.reason)
        } else {
            String::new()
        };
        outln!(
            "{}  {}  {:<12} {:<10} {}×{}  {} bytes  sha256 {}{state}",
            p.id,
            p.taken_on,
            p.area,
            p.view.code(),
            p.width,
            p.height,
            p.bytes,
            p.sha256
        );
    }
    Ok(())
}
