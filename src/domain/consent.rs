//! Informed consent: which document a client signed, the signature they drew (strokes with
//! timing), who witnessed it, and whether a consent is in force on a given day. A consent is
//! never changed; withdrawing one is a new signed row that ends it.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::ids::{ClientId, StaffId};

/// What a consent is for. Each kind has its own document and is given (and withdrawn) on its
/// own: photographs need their own consent, their use for marketing a separate, explicit one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConsentKind {
    Treatment,
    Photographs,
    Marketing,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 3] = [Self::Treatment, Self::Photographs, Self::Marketing];

    pub fn code(self) -> &'static str {
        match self {
            Self::Treatment => "treatment",
            Self::Photographs => "photographs",
            Self::Marketing => "marketing",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| DomainError::UnknownValue {
                what: "Consent kind",
                entered: code.to_owned(),
            })
    }

    /// The document's title, as the desk and the client read it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Treatment => "Consent to microneedling treatment",
            Self::Photographs => "Consent to clinical photographs",
            Self::Marketing => "Consent to the use of photographs in marketing",
        }
    }

    /// The template the document is set from (`assets/consent/`, or the clinic's copy).
    pub fn template(self) -> &'static str {
        match self {
            Self::Treatment => "consent_treatment.typ",
            Self::Photographs => "consent_photographs.typ",
            Self::Marketing => "consent_marketing.typ",
        }
    }
}

/// One point of a drawn signature: position on the pad in thousandths of its width and
/// height, and milliseconds since the first point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignaturePoint {
    pub x: u16,
    pub y: u16,
    pub t: u32,
}

/// A drawn signature: its strokes (pen down to pen up), each a list of points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub strokes: Vec<Vec<SignaturePoint>>,
}

/// The fewest points, and the smallest extent (thousandths of the pad), a signature must have:
/// a dot, a tap or a short dash is not a signature.
pub const MIN_SIGNATURE_POINTS: usize = 12;
pub const MIN_SIGNATURE_EXTENT: u16 = 60;

impl Signature {
    pub fn point_count(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }

    /// Refuses an empty signature, a dot, or a scribble too small to be one.
    pub fn check(&self) -> Result<(), DomainError> {
        let points: Vec<&SignaturePoint> = self.strokes.iter().flatten().collect();
        let extent = |f: fn(&SignaturePoint) -> u16| {
            let (lo, hi) = points
                .iter()
                .fold((u16::MAX, 0), |(lo, hi), p| (lo.min(f(p)), hi.max(f(p))));
            hi.saturating_sub(lo)
        };
        if points.len() < MIN_SIGNATURE_POINTS
            || (extent(|p| p.x) < MIN_SIGNATURE_EXTENT && extent(|p| p.y) < MIN_SIGNATURE_EXTENT)
        {
            return Err(DomainError::SignatureMissing);
        }
        Ok(())
    }

    /// Compact text: points "x,y,t" separated by spaces, strokes by ";".
    pub fn encode(&self) -> String {
        self.strokes
            .iter()
            .map(|s| {
                s.iter()
                    .map(|p| format!("{},{},{}", p.x, p.y, p.t))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    pub fn decode(text: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::UnknownValue {
            what: "Signature",
            entered: text.chars().take(40).collect(),
        };
        let mut strokes = Vec::new();
        for stroke in text.split(';').filter(|s| !s.trim().is_empty()) {
            let mut points = Vec::new();
            for point in stroke.split_whitespace() {
                let mut parts = point.split(',');
                let (Some(x), Some(y), Some(t), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(bad());
                };
                points.push(SignaturePoint {
                    x: x.parse().map_err(|_| bad())?,
                    y: y.parse().map_err(|_| bad())?,
                    t: t.parse().map_err(|_| bad())?,
                });
            }
            strokes.push(points);
        }
        Ok(Self { strokes })
    }

    /// The signature as an SVG image (black ink on nothing), `width` × `height` units: what
    /// printed copies show.
    pub fn svg(&self, width: u32, height: u32) -> String {
        let scale = |v: u16, size: u32| f64::from(v) * f64::from(size) / 1000.0;
        let mut paths = String::new();
        for stroke in &self.strokes {
            let Some(first) = stroke.first() else { continue };
            paths.push_str(&format!(
                "<path d=\"M{:.1} {:.1}",
                scale(first.x, width),
                scale(first.y, height)
            ));
            if stroke.len() == 1 {
                paths.push_str(" l0.1 0");
            }
            for p in &stroke[1..] {
                paths.push_str(&format!(" L{:.1} {:.1}", scale(p.x, width), scale(p.y, height)));
            }
            paths.push_str("\"/>");
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\
             <g fill=\"none\" stroke=\"#000\" stroke-width=\"2.2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{paths}</g></svg>"
        )
    }
}

/// Someone signing for the client (a parent for a client under 18, an attorney).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub name: String,
    pub relationship: String,
}

/// A consent as stored: given, or (with `withdraws`) the withdrawal of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: super::ids::ConsentId,
    pub client_id: ClientId,
    pub kind: ConsentKind,
    /// The SHA-256 of the document's exact rendered text.
    pub document_version: String,
    pub signed_on: NaiveDate,
    /// The name the signer typed.
    pub signer_name: String,
    pub representative: Option<Representative>,
    pub signature: Signature,
    pub witness_id: Option<StaffId>,
    pub witness_name: String,
    pub signed_at: DateTime<Utc>,
    /// The consent this row withdraws, and why.
    pub withdraws: Option<super::ids::ConsentId>,
    pub withdrawal_reason: Option<String>,
}

/// Whether a kind of consent is in force on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentState {
    Valid {
        consent: super::ids::ConsentId,
        signed_on: NaiveDate,
        until: NaiveDate,
    },
    Missing,
    Withdrawn {
        on: NaiveDate,
    },
    Expired {
        signed_on: NaiveDate,
        ended: NaiveDate,
    },
}

impl ConsentState {
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid { .. })
    }

    /// What the desk is told, e.g. before a session cannot start.
    pub fn words(&self, kind: ConsentKind) -> String {
        let what = kind.title().to_lowercase();
        match self {
            Self::Valid { signed_on, until, .. } => {
                format!("{} signed {signed_on}, in force until {until}", kind.title())
            }
            Self::Missing => format!("There is no signed {what} on file."),
            Self::Withdrawn { on } => format!("The {what} was withdrawn on {on}."),
            Self::Expired { signed_on, ended } => {
                format!("The {what} signed {signed_on} ended on {ended} (renewed every year): sign it again.")
            }
        }
    }
}

/// The state of `kind` on `today`: the newest consent of that kind signed on or before today,
/// unless a withdrawal of it was signed since, and not older than `renewal_months`.
pub fn consent_state(
    consents: &[Consent],
    kind: ConsentKind,
    today: NaiveDate,
    renewal_months: u32,
) -> ConsentState {
    let given = consents
        .iter()
        .filter(|c| c.kind == kind && c.withdraws.is_none() && c.signed_on <= today)
        .max_by_key(|c| (c.signed_on, c.signed_at));
    let Some(given) = given else {
        return ConsentState::Missing;
    };
    if let Some(w) = consents
        .iter()
        .find(|c| c.withdraws == Some(given.id) && c.signed_on <= today)
    {
        return ConsentState::Withdrawn { on: w.signed_on };
    }
    let until = given
        .signed_on
        .checked_add_months(Months::new(renewal_months))
        .unwrap_or(NaiveDate::MAX);
    if today >= until {
        return ConsentState::Expired {
            signed_on: given.signed_on,
            ended: until,
        };
    }
    ConsentState::Valid {
        consent: given.id,
        signed_on: given.signed_on,
        until,
    }
}

/// Whole years from `born` to `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// The age under which a representative signs for the client.
pub const ADULT_AGE: i32 = 18;

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u16) -> Signature {
        Signature {
            strokes: vec![(0..n)
                .map(|i| SignaturePoint {
                    x: 100 + i * 20,
                    y: 500,
                    t: u32::from(i) * 10,
                })
                .collect()],
        }
    }

    #[test]
    fn a_dot_or_nothing_is_not_a_signature_and_strokes_round_trip() {
        assert_eq!(Signature::default().check(), Err(DomainError::SignatureMissing));
        let dot = Signature {
            strokes: vec![vec![SignaturePoint { x: 500, y: 500, t: 0 }; 30]],
        };
        assert_eq!(dot.check(), Err(DomainError::SignatureMissing));
        let signed = line(30);
        assert_eq!(signed.check(), Ok(()));
        assert_eq!(Signature::decode(&signed.encode()), Ok(signed.clone()));
        assert!(signed.svg(300, 100).starts_with("<svg"));
    }
}
