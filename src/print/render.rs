//! Typst as a library: a minimal [`World`] with the sheet's template as its main file, the
//! shipped fonts (loaded once), no packages and no network. The sheet's data goes in as JSON
//! through `sys.inputs.data`, so nothing a client typed is ever read as markup.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Dict, Str, Value};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use super::model::Sheet;
use super::PrintError;

/// The fonts every sheet is set in, embedded so a sheet looks the same on every machine:
/// Noto Sans (Latin, Greek, Cyrillic, Vietnamese; regular and bold), Noto Sans Arabic, and
/// Droid Sans Fallback for Chinese, Japanese and Korean.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
];

/// The shipped templates (`assets/print/`), by file name.
pub const SHIPPED_TEMPLATES: [(&str, &str); 11] = [
    ("sheet.typ", include_str!("../../assets/print/sheet.typ")),
    ("aftercare.typ", include_str!("../../assets/print/aftercare.typ")),
    ("prep.typ", include_str!("../../assets/print/prep.typ")),
    ("screening.typ", include_str!("../../assets/print/screening.typ")),
    ("day_list.typ", include_str!("../../assets/print/day_list.typ")),
    ("consent_page.typ", include_str!("../../assets/consent/page.typ")),
    (
        "consent_treatment.typ",
        include_str!("../../assets/consent/treatment.typ"),
    ),
    (
        "consent_photographs.typ",
        include_str!("../../assets/consent/photographs.typ"),
    ),
    (
        "consent_marketing.typ",
        include_str!("../../assets/consent/marketing.typ"),
    ),
    (
        "consent_signed.typ",
        include_str!("../../assets/consent/signed.typ"),
    ),
    (
        "progress_report.typ",
        include_str!("../../assets/print/progress_report.typ"),
    ),
];

/// The folder beside the database where a clinic keeps its own templates.
pub const CLINIC_TEMPLATES_DIR: &str = "templates";

struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: every later sheet reuses them.
static FONTS: OnceLock<FontSet> = OnceLock::new();

fn fonts() -> &'static FontSet {
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        FontSet {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// Where templates come from: a clinic's own folder first (a file there replaces the shipped
/// one of the same name, and may bring images such as a logo), then the shipped templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Templates {
    clinic_dir: Option<PathBuf>,
}

impl Templates {
    /// Only the shipped templates.
    pub fn shipped() -> Self {
        Self::default()
    }

    /// The clinic's folder, then the shipped templates.
    pub fn with_clinic_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            clinic_dir: Some(dir.into()),
        }
    }

    /// `templates/` beside the database file.
    pub fn beside_database(db: &Path) -> Self {
        let dir = db.parent().unwrap_or_else(|| Path::new("."));
        Self::with_clinic_dir(dir.join(CLINIC_TEMPLATES_DIR))
    }

    /// The clinic's own copy of `name`, if it has one.
    fn clinic_file(&self, name: &VirtualPath) -> Option<PathBuf> {
        let dir = self.clinic_dir.as_ref()?;
        let path = name.realize(dir).ok()?;
        path.is_file().then_some(path)
    }

    /// Where `name` is read from, for messages.
    pub fn origin(&self, name: &str) -> String {
        match VirtualPath::new(name).ok().and_then(|v| self.clinic_file(&v)) {
            Some(path) => path.display().to_string(),
            None => format!("shipped {name}"),
        }
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "packages are not available to sheet templates (they work offline); copy what \
                 the template needs into the templates folder"
                    .into(),
            )));
        }
        let vpath = id.vpath();
        if let Some(path) = self.clinic_file(vpath) {
            return std::fs::read(&path)
                .map(Bytes::new)
                .map_err(|e| FileError::from_io(e, &path));
        }
        let name = vpath.get_without_slash();
        SHIPPED_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| Bytes::from_string(*text))
            .ok_or_else(|| FileError::NotFound(PathBuf::from(name)))
    }
}

/// A rendered sheet.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Each page's size in points (width, height).
    pub pages: Vec<(f64, f64)>,
    /// What Typst warned about, and any character the fonts could not draw.
    pub warnings: Vec<String>,
    /// The text as laid out, line by line (pages one after the other): what a consent
    /// document's version is the hash of.
    pub text: String,
}

struct SheetWorld<'a> {
    library: LazyHash<Library>,
    main: FileId,
    templates: &'a Templates,
    today: Option<Datetime>,
    sources: Mutex<HashMap<FileId, Source>>,
    /// Files given with the sheet (photos), by their virtual name.
    extra: HashMap<FileId, Bytes>,
}

fn file_id(name: &str) -> Result<FileId, PrintError> {
    let vpath = VirtualPath::new(name).map_err(|e| PrintError::Template {
        template: name.to_owned(),
        problems: format!("{e:?}"),
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for SheetWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut sources = self.sources.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = sources.get(&id) {
            return Ok(s.clone());
        }
        let bytes = self.templates.read(id)?;
        let text = bytes.as_str().map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.to_owned());
        sources.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match self.extra.get(&id) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.templates.read(id),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

impl SheetWorld<'_> {
    /// "aftercare.typ line 12: unknown variable: foo; …"
    fn describe(&self, diagnostics: &[SourceDiagnostic]) -> String {
        diagnostics
            .iter()
            .map(|d| {
                let place = d
                    .span
                    .id()
                    .and_then(|id| {
                        let source = self.source(id).ok()?;
                        let range = self.range(d.span)?;
                        let line = source.lines().byte_to_line(range.start)? + 1;
                        Some(format!("{} line {line}: ", id.vpath().get_without_slash()))
                    })
                    .unwrap_or_default();
                let hints: String = d.hints.iter().map(|h| format!(" (hint: {})", h.v)).collect();
                format!("{place}{}{hints}", d.message)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Renders a sheet to PDF with its template. `today` is the printing date (Typst's
/// `datetime.today()`), never read from the clock here.
pub fn render(sheet: &Sheet, templates: &Templates, today: NaiveDate) -> Result<Rendered, PrintError> {
    render_with_files(sheet, templates, today, Vec::new())
}

/// [`render`] with files the template may read besides the templates (photos for a progress
/// report, named e.g. `photo-1.jpg`).
pub fn render_with_files(
    sheet: &Sheet,
    templates: &Templates,
    today: NaiveDate,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Rendered, PrintError> {
    let mut extra = HashMap::new();
    for (name, bytes) in files {
        extra.insert(file_id(&name)?, Bytes::new(bytes));
    }
    let template = sheet.template();
    let failed = |problems: String| PrintError::Template {
        template: templates.origin(template),
        problems,
    };
    let json = sheet
        .to_json()
        .map_err(|e| failed(format!("the sheet's data: {e}")))?;
    let mut inputs = Dict::new();
    inputs.insert(Str::from("data"), Value::Str(Str::from(json)));
    let world = SheetWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        main: file_id(template)?,
        templates,
        today: u8::try_from(today.month())
            .ok()
            .zip(u8::try_from(today.day()).ok())
            .and_then(|(m, d)| Datetime::from_ymd(today.year(), m, d)),
        sources: Mutex::new(HashMap::new()),
        extra,
    };
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| failed(world.describe(&errors)))?;
    let mut notes: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .map(|w| world.describe(std::slice::from_ref(w)))
        .collect();
    let mut missing = BTreeSet::new();
    let mut text = String::new();
    for page in document.pages() {
        missing_glyphs(&page.frame, &mut missing);
        let mut runs = Vec::new();
        text_runs(&page.frame, typst::layout::Point::zero(), &mut runs);
        text.push_str(&lines_of(runs));
    }
    if !missing.is_empty() {
        let chars: String = missing.into_iter().collect();
        notes.push(format!("the sheet's fonts cannot draw \"{chars}\""));
    }
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| PrintError::Pdf(world.describe(&errors)))?;
    let pages = document
        .pages()
        .iter()
        .map(|p| (p.frame.size().x.to_pt(), p.frame.size().y.to_pt()))
        .collect();
    // Typst memoises across compilations; keep only what the next sheet is likely to reuse.
    typst::comemo::evict(10);
    Ok(Rendered {
        pdf,
        pages,
        warnings: notes,
        text,
    })
}

/// One run of text on a page: baseline y, x, width (points) and the text.
type Run = (f64, f64, f64, String);

/// Every text run of `frame`, at its place on the page (groups' offsets added; the sheets do not
/// rotate or scale text).
fn text_runs(frame: &Frame, origin: typst::layout::Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(group) => text_runs(&group.frame, at, out),
            FrameItem::Text(t) => {
                out.push((at.y.to_pt(), at.x.to_pt(), t.width().to_pt(), t.text.to_string()))
            }
            _ => {}
        }
    }
}

/// Runs on one baseline become one line, left to right, with a space where there is a gap.
fn lines_of(mut runs: Vec<Run>) -> String {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = String::new();
    let mut line: Option<(f64, f64)> = None; // (baseline, where the last run ended)
    for (y, x, width, text) in runs {
        match line {
            // The same line: a space where the runs have a gap and neither brings one.
            Some((baseline, end)) if (y - baseline).abs() < 1.0 => {
                let gap = x > end + 0.5 && !out.ends_with(' ') && !text.starts_with(' ');
                out.push_str(if gap { " " } else { "" });
            }
            Some(_) => out.push('\n'),
            None => {}
        }
        out.push_str(&text);
        line = Some((y, x + width));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Characters drawn with no glyph (the font's "notdef" box) anywhere in `frame`.
fn missing_glyphs(frame: &Frame, out: &mut BTreeSet<char>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => missing_glyphs(&group.frame, out),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    if let Some(s) = text.text.get(glyph.range()) {
                        out.extend(s.chars().filter(|c| !c.is_whitespace()));
                    }
                }
            }
            _ => {}
        }
    }
}
