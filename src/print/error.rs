//! What can go wrong while printing, said so the front desk knows what to do.

use thiserror::Error;

use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum PrintError {
    #[error("{0}")]
    Store(#[from] StoreError),

    #[error("There is no {what} with id {id}. Check the id (the client record lists each one).")]
    NotFound { what: &'static str, id: String },

    #[error("Session {number} of {client} is not done yet, so there is no aftercare to print. Print the aftercare sheet once the session is completed and signed.")]
    NotCompleted { number: u8, client: String },

    #[error("Session {number} of {client} is {status}, not booked, so its preparation dates cannot be counted back. Book the session first, then print its preparation sheet.")]
    NotBooked {
        number: u8,
        client: String,
        status: &'static str,
    },

    #[error("Session {number} of {client} was booked for {on}, which has passed. Book it again, then print its preparation sheet.")]
    BookingPassed { number: u8, client: String, on: String },

    #[error("The screening of {date} for {client} is not signed. Only a signed screening is printed for the paper file.")]
    NotSigned { date: String, client: String },

    #[error("The clinic's name is not set. Enter the clinic's name, address and phone in Settings: they are printed on every sheet.")]
    NoClinicName,

    #[error("The sheet tells the client to call the clinic, but no phone number is set. Enter the clinic's phone in Settings, then print again.")]
    NoClinicPhone,

    #[error("The {template} template could not be used: {problems}. Fix the template, or remove the clinic's copy to print with the shipped one.")]
    Template { template: String, problems: String },

    #[error("The sheet could not be made into a PDF: {0}")]
    Pdf(String),

    #[error(
        "Could not save the sheet to {path}: {reason}. Check that the folder exists and may be written to."
    )]
    Write { path: String, reason: String },

    /// Asked for something that cannot be printed as asked; says why.
    #[error("{0}")]
    Refused(String),
}
