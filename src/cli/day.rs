//! `needlepoint day`: the day list as PDF (the paper copy for the day the PC is down), and
//! `needlepoint reminders`: a day's bookings as CSV for an SMS or e-mail service. Both are
//! recorded in the audit log: they carry clients' phone numbers off the database.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{existing_db, open_store, outln, CliError};
use crate::domain::{Act, AuditAction};
use crate::print::day_list::{print_day_list, reminders, reminders_csv};
use crate::print::{documents_folder, Templates};

fn day_or_today(date: Option<&str>) -> Result<NaiveDate, CliError> {
    match date {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| CliError {
            message: format!("\"{text}\" is not a date. Write it as year-month-day, for example 2026-12-18."),
            code: 2,
        }),
    }
}

pub fn day(
    db: Option<PathBuf>,
    who: Option<&str>,
    date: Option<&str>,
    out: Option<&Path>,
) -> Result<(), CliError> {
    let day = day_or_today(date)?;
    let path = existing_db(db)?;
    let mut store = open_store(&path)?;
    let actor = super::who::writer(&mut store, who, Act::Print)?;
    let out = match out {
        Some(out) => out.to_path_buf(),
        None => {
            let folder = documents_folder(&path, &store.print_settings()?);
            std::fs::create_dir_all(&folder)?;
            folder.join(format!("day-list-{day}.pdf"))
        }
    };
    let today = chrono::Local::now().date_naive();
    let pages = print_day_list(
        &mut store,
        &Templates::beside_database(&path),
        day,
        today,
        &out,
        &actor,
    )?;
    outln!(
        "The day list for {day} was written to {} ({pages} page(s)).",
        out.display()
    );
    Ok(())
}

pub fn reminders_file(
    db: Option<PathBuf>,
    who: Option<&str>,
    date: Option<&str>,
    out: &Path,
) -> Result<(), CliError> {
    let day = match date {
        Some(_) => day_or_today(date)?,
        None => chrono::Local::now().date_naive() + chrono::Duration::days(1),
    };
    let path = existing_db(db)?;
    let mut store = open_store(&path)?;
    let actor = super::who::writer(&mut store, who, Act::Diary)?;
    let list = reminders(&store, day)?;
    crate::paths::write_whole_file(out, reminders_csv(&list).as_bytes())?;
    let shown = out.display().to_string();
    let count = list.len();
    store.write(&actor, |w| {
        w.audit(
            AuditAction::Export,
            "appointments",
            &day.to_string(),
            None,
            &format!("{count} reminders to {shown}"),
        )
    })?;
    outln!("{count} reminders for {day} written to {shown}.");
    Ok(())
}
