//! `needlepoint export`, `import` and `anonymise`: a client's data rights from the command line.

use super::outln;
use std::path::{Path, PathBuf};

use super::{open_store, CliError};
use crate::domain::ClientId;
use crate::store::Store;

fn bad(message: String) -> CliError {
    CliError { message, code: 2 }
}

/// The store at `db`, which must exist (a command never makes an empty database by mistake).
pub(super) fn existing_store(db: Option<PathBuf>) -> Result<Store, CliError> {
    let path = super::existing_db(db)?;
    Ok(open_store(&path)?)
}

pub(super) fn client_id(text: &str) -> Result<ClientId, CliError> {
    text.parse().map_err(|_| {
        bad(format!(
            "--client \"{text}\" is not a client id. It looks like 1b4e28ba-2fa1-11d2-883f-0016d3cca427; \
             the client record shows it under the name."
        ))
    })
}

/// Writes the client's complete record as JSON to `out` (or prints it), then records the export.
pub fn export(
    db: Option<PathBuf>,
    who: Option<&str>,
    client: &str,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let id = client_id(client)?;
    let mut store = existing_store(db)?;
    let actor = super::who::writer(&mut store, who, crate::domain::Act::ExportClient)?;
    let export = store
        .client_export(id)?
        .ok_or_else(|| bad(format!("There is no client {id} in this database.")))?;
    let json = serde_json::to_string_pretty(&export)
        .map_err(|e| bad(format!("Could not write the record as JSON: {e}")))?;
    match out {
        Some(path) => {
            // Written whole, with its audit row, or not at all; photos in a folder beside it.
            let written = store.write_client_export(&actor, id, path)?;
            eprintln!(
                "The complete record of {} was written to {}",
                export.client.details.full_name,
                path.display()
            );
            let photos = written.photo_files.iter().filter(|p| p.file.is_some()).count();
            if photos > 0 {
                eprintln!(
                    "{photos} photo(s) were written to {}",
                    crate::store::photo_folder(path).display()
                );
            }
            for p in written.photo_files.iter().filter_map(|p| p.problem.as_ref()) {
                eprintln!("A photo could not be written: {p}");
            }
        }
        None => {
            store.write(&actor, |w| w.record_export(id, "standard output"))?;
            outln!("{json}");
        }
    }
    Ok(())
}

/// Previews an import (adds nothing), or with `apply` adds the good lines.
pub fn import(db: Option<PathBuf>, who: Option<&str>, file: &Path, apply: bool) -> Result<(), CliError> {
    let bytes = crate::import::read_file(file)?;
    let mut store = existing_store(db)?;
    let today = chrono::Local::now().date_naive();
    let source = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let preview = crate::import::preview(&bytes, &source, &store, today)?;
    for c in &preview.ignored_columns {
        outln!("Column \"{c}\" is not imported (Needlepoint has no such field).");
    }
    if !apply {
        outln!("Preview of {} (nothing has been added):", file.display());
        outln!("{}", preview.summary());
        print_lines("Problems (these lines will not be added):", &preview.problems);
        print_lines(
            "Already clients (these lines will be skipped):",
            &preview.duplicates,
        );
        if !preview.to_add.is_empty() {
            outln!(
                "To add the {} good line(s), run again with --apply.",
                preview.to_add.len()
            );
        }
        return Ok(());
    }
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Import)?;
    let report = crate::import::apply(&preview, &mut store, &actor)?;
    outln!(
        "Added {} client(s) from {}; {} line(s) not added because of problems; {} skipped as already clients.",
        report.added.len(),
        file.display(),
        report.refused.iter().map(|p| p.line).collect::<std::collections::BTreeSet<_>>().len(),
        report.duplicates.len()
    );
    for (line, id, name) in &report.added {
        outln!("  line {line}: added {name} ({id})");
    }
    print_lines("Not added:", &report.refused);
    print_lines("Skipped:", &report.duplicates);
    Ok(())
}

fn print_lines(title: &str, lines: &[crate::import::LineProblem]) {
    if lines.is_empty() {
        return;
    }
    outln!("{title}");
    for p in lines {
        outln!("  {p}");
    }
}

/// Anonymises a client after `--yes`.
pub fn anonymise(db: Option<PathBuf>, who: Option<&str>, client: &str, yes: bool) -> Result<(), CliError> {
    let id = client_id(client)?;
    let mut store = existing_store(db)?;
    let current = store
        .client(id)?
        .ok_or_else(|| bad(format!("There is no client {id} in this database.")))?;
    if !yes {
        return Err(bad(format!(
            "Anonymising {} removes their name, phone, email and notes for good and keeps only the \
             year of their birth date; their sessions, screenings and plans stay for statistics. \
             This cannot be undone. To go ahead, run the same command with --yes.",
            current.details.full_name
        )));
    }
    let actor = super::who::writer(&mut store, who, crate::domain::Act::Anonymise)?;
    let done = store.write(&actor, |w| w.anonymise_client(id))?;
    store.remove_erased_photo_files()?;
    outln!(
        "{} is now \"{}\": name, phone, email and notes removed, birth date kept as its year. \
         Notes cleared on {} concern(s), {} plan(s) and {} unsigned session(s); {} photo(s) erased. \
         Sessions and screenings are kept.",
        current.details.full_name,
        done.shown_as,
        done.concern_notes_cleared,
        done.plan_notes_cleared,
        done.session_notes_cleared,
        done.photos_erased
    );
    outln!("Backups made before now still hold the old details (and photos) until they are rotated out.");
    Ok(())
}
