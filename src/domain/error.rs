//! Every way user input can be wrong, in words a receptionist understands.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("The password is too short: at least {min} characters, this has {len}. A short sentence is easy to remember and hard to guess.")]
    PasswordTooShort { min: usize, len: usize },

    #[error("The two passwords are not the same. Type the password again in both boxes.")]
    PasswordsDiffer,

    #[error("A PIN is 4 to 8 digits, with nothing else.")]
    PinNotDigits,

    #[error("This PIN is too easy to guess (one digit repeated, or a run such as 1234). Choose another.")]
    PinTooSimple,

    #[error("{field} is required.")]
    Missing { field: &'static str },

    #[error("{field} contains a control character ({code}), which cannot be saved. Remove it (it may have come from a copied or exported text) and try again.")]
    ControlCharacter { field: &'static str, code: String },

    #[error("{field} is too long: at most {max} characters, this has {len}.")]
    TooLong {
        field: &'static str,
        max: usize,
        len: usize,
    },

    #[error("Needle depth {entered} mm is outside the pen's range. Enter a depth from 0.10 to 2.50 mm.")]
    DepthOutOfPenRange { entered: String },

    #[error("\"{entered}\" is not a needle depth. Enter millimetres, for example 0.75.")]
    DepthNotReadable { entered: String },

    #[error("Needle depth \"{entered}\" has more than two decimals. The pen steps in hundredths of a millimetre, for example 0.75.")]
    DepthTooPrecise { entered: String },

    #[error("The depth range starts at {min} but ends at {max}. The smaller depth comes first.")]
    DepthRangeReversed { min: String, max: String },

    #[error("Skin type must be a Fitzpatrick type from I to VI; {entered} is not one.")]
    SkinTypeInvalid { entered: String },

    #[error("The date of birth {date} is in the future. Check the year.")]
    BirthDateInFuture { date: String },

    #[error("The date of birth {date} would make the client older than {max_years}. Check the year.")]
    BirthDateTooOld { date: String, max_years: u32 },

    #[error("\"{entered}\" is not a date. Write it as year-month-day, for example 1985-03-14.")]
    DateNotReadable { entered: String },

    #[error("The phone number \"{entered}\" has no digits, or too few (at least {min}).")]
    PhoneInvalid { entered: String, min: usize },

    #[error("\"{entered}\" is not an email address. It needs a name, an @ and a domain, for example ana@example.com.")]
    EmailInvalid { entered: String },

    #[error("A series needs between {min} and {max} sessions; {entered} was asked for.")]
    SessionCountOutOfRange { entered: u32, min: u8, max: u8 },

    #[error("The interval between sessions must be {min_allowed} to {max_allowed} days, with the shortest first (got {min}–{max} days).")]
    IntervalWindowInvalid {
        min: u32,
        max: u32,
        min_allowed: u16,
        max_allowed: u16,
    },

    #[error("Only {days} days after the previous session; the protocol asks for at least {min_days}. Choose a later date, or give a written reason to override.")]
    IntervalTooShort { days: i64, min_days: u16 },

    #[error(
        "This date is before the previous session ({previous}). Sessions of a series must follow each other."
    )]
    DateBeforePrevious { previous: String },

    #[error("Session {number} does not exist in this series of {count}.")]
    NoSuchSession { number: u8, count: u8 },

    #[error("Passes must be between {min} and {max}; {entered} was entered.")]
    PassesOutOfRange { entered: u32, min: u8, max: u8 },

    #[error("{what} is not one of the known values: {entered}.")]
    UnknownValue { what: &'static str, entered: String },

    #[error("{what} \"{entered}\" is listed twice. List each once.")]
    Duplicate { what: &'static str, entered: String },

    #[error("The lot {lot} expired on {expired_on}. Use an unexpired lot.")]
    LotExpired { lot: String, expired_on: String },

    #[error("The pen sets depth in 0.05 mm steps, so {entered} cannot be set. Use {below} or {above}.")]
    DepthNotPenStep {
        entered: String,
        below: String,
        above: String,
    },

    #[error("Passes must be a whole number such as 2; \"{entered}\" is not.")]
    PassesNotReadable { entered: String },

    #[error("{depth} is deeper than this area's limit of {limit}. Write the reason for going deeper, or lower the depth.")]
    DepthAboveAreaLimit { depth: String, limit: String },

    #[error("The area \"{area}\" is not part of this plan. Record only the plan's areas.")]
    AreaNotPlanned { area: String },

    #[error("The area \"{area}\" cannot be treated today: {why} Clear its depth to leave it out.")]
    AreaExcluded { area: String, why: String },

    #[error("No area has a depth. Enter the depth and passes of each area treated.")]
    NoAreaTreated,

    #[error("{name} is not a {expected}. Choose a {expected} lot.")]
    WrongProductKind { name: String, expected: String },

    #[error("{name} lot {lot} has been taken off the shelf (deactivated). Choose an active lot.")]
    ProductInactive { name: String, lot: String },

    #[error("This serum is discouraged: {why} Write why it is used anyway, or choose another serum.")]
    SerumNeedsReason { why: String },

    /// A plan's depth for `area` above the area's limit, without a written reason.
    #[error("{depth} is deeper than this area's {limit} maximum: write the reason below.")]
    PlanDepthAboveLimit {
        area: String,
        depth: String,
        limit: String,
    },

    #[error("The plan includes a prescription product ({products}): name the prescriber, or untick it.")]
    PrescriberMissing { products: String },

    #[error("The clearance is dated {given_on}, after today. Enter the date it was given.")]
    ClearanceDatedAhead { given_on: String },

    #[error("This clearance ended on {expires_on}, so it cannot be relied on. Ask for a new one.")]
    ClearanceExpired { expires_on: String },

    #[error("The clearance ends before the day it was given. Check both dates.")]
    ClearanceEndsBeforeItStarts,

    #[error("\"{entered}\" is not a time. Write it as hours:minutes on the 24-hour clock, for example 09:30 or 14:05.")]
    TimeNotReadable { entered: String },

    #[error(
        "The diary keeps times in 5-minute steps, so {entered} cannot be booked. Use {below} or {above}."
    )]
    TimeNotOnStep {
        entered: String,
        below: String,
        above: String,
    },

    #[error("\"{entered}\" is not a length of appointment. Enter minutes in 5-minute steps from 5 to 720, for example 60.")]
    DurationInvalid { entered: String },

    #[error("The appointment would end after midnight. Start it earlier or make it shorter.")]
    PastMidnight,

    #[error("{day} is in the past. Book today or a later day.")]
    BookingInPast { day: String },

    #[error("The photo's date ({taken_on}) is after today ({today}). Enter the day it was taken.")]
    PhotoDatedAhead { taken_on: String, today: String },

    #[error("The photo's date ({taken_on}) is before 1990. Enter the day it was taken.")]
    PhotoDatedTooEarly { taken_on: String },

    #[error("Choose the treatment area the photo shows.")]
    PhotoAreaMissing,

    #[error("Please sign in the box: draw the signature with the mouse, pen or finger (a dot or a short line is not enough).")]
    SignatureMissing,

    #[error("An appointment that is {from} cannot become {to}.")]
    AppointmentStatusMove { from: String, to: String },

    /// A plan's depth for `area`, where no depth is published, without a written reason.
    #[error("No published depth for this area: write the reason for the depth below.")]
    PlanDepthUnpublished { area: String },
}

/// A field that failed validation, so a form can show the message next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub error: DomainError,
}

/// All problems of one form at once, so the user can fix them in one go.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", .0.iter().map(|e| e.error.to_string()).collect::<Vec<_>>().join(" "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn for_field(&self, field: &str) -> Option<&DomainError> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.error)
    }
}
