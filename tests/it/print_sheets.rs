//! Printed sheets read back out of the PDF: every item of an aftercare sheet for a realistic
//! session, preparation and screening copies, names that look like markup or are not in Latin
//! script, paper sizes, a sheet on two pages, the command line, and the print record.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::cli::{needlepoint_as_lead, text};
use crate::common::sessions::{fixture, Fixture};
use crate::common::{date, file_only, temp_db, TempDb};
use needlepoint::domain::{
    AreaDraft, AuditAction, ClinicSettings, DocumentKind, PaperSize, PrintedFor, Screening,
    SessionRecordDraft, SessionStatus,
};
use needlepoint::print::{
    build, gather, print_to_file, render, PrintError, PrintRequest, Rendered, Sheet, Templates,
};

const TREATED: &str = "2026-11-21"; // a Saturday
const NEXT_BOOKED: &str = "2026-12-20"; // a Sunday, inside session 2's window

fn clinic() -> ClinicSettings {
    ClinicSettings {
        name: "Clínica Aurora".to_owned(),
        address: "Rua das Flores 12\n1200-195 Lisboa".to_owned(),
        phone: "+351 21 123 4567".to_owned(),
        paper_size: PaperSize::A4,
        practitioners: vec!["Dr. Maya Lindqvist".to_owned()],
    }
}

/// Session 1 done on a Saturday with HA gel on cheeks and chin, session 2 booked.
fn realistic(db: &TempDb) -> Fixture {
    let mut f = fixture(db, TREATED, 4);
    f.store
        .write("Reception", |w| w.save_clinic_settings(&clinic()))
        .unwrap();
    let screening = f.screen_and_start(1, date(TREATED), f.protocol.safe_answers());
    complete(&mut f, &screening);
    let mut second = f.session(2);
    second.status = SessionStatus::Booked;
    second.booked_on = Some(date(NEXT_BOOKED));
    let client = f.client.id;
    f.store
        .write("Reception", |w| w.update_session(&second, client))
        .unwrap();
    f
}

fn complete(f: &mut Fixture, screening: &Screening) {
    let session = f.session(1);
    let draft = SessionRecordDraft {
        areas: vec![
            AreaDraft {
                area: "cheeks".to_owned(),
                depth: "1.00".to_owned(),
                passes: "2".to_owned(),
                endpoint: "pinpoint bleeding".to_owned(),
                ..AreaDraft::default()
            },
            AreaDraft {
                area: "chin_jawline".to_owned(),
                depth: "0.75".to_owned(),
                passes: "2".to_owned(),
                ..AreaDraft::default()
            },
        ],
        serum: Some(f.ha_gel.id),
        cartridge: Some(f.cartridge.id),
        numbing: Some(f.numbing.id),
        practitioner: "Dr. Maya Lindqvist".to_owned(),
        ..SessionRecordDraft::default()
    };
    let record = f.validated_record(&draft, &session, screening, date(TREATED));
    f.try_complete(1, &record, screening).unwrap();
}

/// The PDF's text with every run of whitespace made one space.
fn pdf_text(pdf: &[u8]) -> String {
    squash(&pdf_extract::extract_text_from_mem(pdf).expect("text from the PDF"))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_has(text: &str, wanted: &str) {
    assert!(
        text.contains(&squash(wanted)),
        "the sheet lacks {wanted:?}; it reads:\n{text}"
    );
}

fn aftercare_of(f: &Fixture) -> build::SessionFacts {
    gather::session_facts(&f.store, f.session(1).id, date("2026-11-21")).unwrap()
}

fn render_aftercare(f: &Fixture, facts: &build::SessionFacts) -> Rendered {
    let sheet = Sheet::Aftercare(build::aftercare(facts, &f.protocol).unwrap());
    let rendered = render(&sheet, &Templates::shipped(), date(TREATED)).unwrap();
    assert!(rendered.warnings.is_empty(), "warnings: {:?}", rendered.warnings);
    rendered
}

#[test]
fn the_aftercare_sheet_holds_every_item_with_computed_dates() {
    let db = temp_db();
    let f = realistic(&db);
    let rendered = render_aftercare(&f, &aftercare_of(&f));
    let text = pdf_text(&rendered.pdf);

    for wanted in [
        "Clínica Aurora",
        "Rua das Flores 12",
        "1200-195 Lisboa",
        "+351 21 123 4567",
        "Aftercare",
        "Amara Okafor",
        "Saturday 21 November 2026",
        "Dr. Maya Lindqvist",
        "Cheeks, Chin and jawline",
        "Sterile HA gel",
        "Session 1 of 4",
    ] {
        assert_has(&text, wanted);
    }
    // Every phase of the protocol, with its calendar dates from the treatment day.
    for phase in &f.protocol.care.aftercare {
        assert_has(&text, &phase.title);
    }
    assert_has(&text, "Saturday 21 – Sunday 22 November");
    assert_has(&text, "Saturday 21 – Tuesday 24 November");
    assert_has(&text, "Saturday 21 – Saturday 28 November");
    assert_has(&text, "Saturday 21 November – Saturday 5 December");
    assert_has(&text, "Until Tuesday 24 November: No make-up for 3 days");
    assert_has(&text, "Until Monday 23 November: No alcohol or smoking");
    assert_has(
        &text,
        "No tanning (sunbathing, sun beds or self-tanner) for the rest of your series",
    );
    // Normal signs, and the warning signs with the clinic's phone number.
    assert_has(&text, "What is normal");
    assert_has(&text, "Pinpoint bleeding");
    assert_has(&text, "Call us on +351 21 123 4567 if you notice any of these");
    assert_has(&text, "New cold sores or blisters");
    assert_has(&text, "Lines of small marks in the pattern of the needles");
    // The serum's safety warning (clinician text, with its source id) stays on screen.
    assert!(
        !text.contains("intradermal exposure"),
        "clinician text on the client's sheet"
    );
    // The next appointment and its preparation, dated back from it.
    assert_has(&text, "Session 2 is booked for Sunday 20 December 2026");
    assert_has(&text, "From Thursday 10 December: Stop vitamin A creams");
    assert_has(&text, "From Sunday 22 November: Avoid sunburn");
    assert_has(&text, "On the day: Come with clean skin");
}

#[test]
fn every_protocol_aftercare_step_for_the_face_and_every_sign_is_printed() {
    let db = temp_db();
    let f = realistic(&db);
    let text = pdf_text(&render_aftercare(&f, &aftercare_of(&f)).pdf);
    let care = &f.protocol.care;
    let texts = care
        .aftercare
        .iter()
        .flat_map(|p| p.items.iter())
        // The session treated the cheeks and chin: the face's lines and the lines for every session.
        .filter(|i| i.regions.is_empty() || i.regions.contains(&needlepoint::protocol::Region::Face))
        .map(|i| &i.text)
        .chain(care.signs.iter().map(|s| &s.text));
    for t in texts {
        let value = t.value.as_deref().expect("the shipped care texts have values");
        // The first words are enough to find it and stay clear of line-break quirks.
        let start: Vec<&str> = value.split_whitespace().take(5).collect();
        assert_has(&text, &start.join(" "));
    }
}

#[test]
fn a_name_that_looks_like_markup_prints_literally() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    facts.client.details.full_name = "#panic() *x* $y$".to_owned();
    facts.clinic.name = "#set page(width: 1cm) _Clinic_".to_owned();
    let text = pdf_text(&render_aftercare(&f, &facts).pdf);
    assert_has(&text, "#panic() *x* $y$");
    assert_has(&text, "#set page(width: 1cm) _Clinic_");
}

#[test]
fn names_in_any_script_print_without_missing_glyphs() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    facts.client.details.full_name = "Zoë Łukasz 李雷 محمد".to_owned();
    facts.session.practitioner = Some("Ngọc Ánh Trần".to_owned());
    let rendered = render_aftercare(&f, &facts); // asserts no warning, no missing glyph
    let text = pdf_text(&rendered.pdf);
    assert_has(&text, "Zoë Łukasz 李雷");
    assert_has(&text, "Ngọc Ánh Trần");
}

#[test]
fn a_character_no_shipped_font_has_is_reported() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    facts.client.details.full_name = "Ananya ᚠᚢᚦ".to_owned(); // runes: in none of the fonts
    let sheet = Sheet::Aftercare(build::aftercare(&facts, &f.protocol).unwrap());
    let rendered = render(&sheet, &Templates::shipped(), date(TREATED)).unwrap();
    assert!(
        rendered
            .warnings
            .iter()
            .any(|w| w.contains("cannot draw") && w.contains('ᚠ')),
        "{:?}",
        rendered.warnings
    );
}

/// Each page's MediaBox in points, read from the PDF itself.
fn media_boxes(pdf: &[u8]) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).expect("page");
            let mb = page
                .get(b"MediaBox")
                .expect("MediaBox")
                .as_array()
                .expect("array");
            let n = |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|i| i as f32)).unwrap();
            (n(&mb[2]) - n(&mb[0]), n(&mb[3]) - n(&mb[1]))
        })
        .collect()
}

#[test]
fn paper_size_comes_from_settings() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    let a4 = media_boxes(&render_aftercare(&f, &facts).pdf);
    facts.clinic.paper_size = PaperSize::Letter;
    let letter = media_boxes(&render_aftercare(&f, &facts).pdf);
    for (w, h) in &a4 {
        assert!(
            (w - 595.28).abs() < 0.5 && (h - 841.89).abs() < 0.5,
            "A4: {w} x {h}"
        );
    }
    for (w, h) in &letter {
        assert!(
            (w - 612.0).abs() < 0.5 && (h - 792.0).abs() < 0.5,
            "Letter: {w} x {h}"
        );
    }
}

#[test]
fn a_long_sheet_repeats_the_clients_name_on_page_two() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    facts.client.details.full_name = "Zoë Łukasz".to_owned();
    let rendered = render_aftercare(&f, &facts);
    let pages = pdf_extract::extract_text_from_mem_by_pages(&rendered.pdf).unwrap();
    assert!(pages.len() >= 2, "the full aftercare sheet takes two pages");
    assert_eq!(pages.len(), rendered.pages.len());
    let second = squash(&pages[1]);
    assert!(
        second.contains("Zoë Łukasz · Aftercare (continued)"),
        "page 2 header: {second}"
    );
    assert!(second.contains("Page 2 of"), "{second}");
}

#[test]
fn the_preparation_sheet_counts_back_from_the_booked_date() {
    let db = temp_db();
    let f = realistic(&db);
    let facts = gather::session_facts(&f.store, f.session(2).id, date("2026-11-21")).unwrap();
    let sheet = Sheet::Preparation(build::preparation(&facts, &f.protocol).unwrap());
    let rendered = render(&sheet, &Templates::shipped(), date(TREATED)).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let text = pdf_text(&rendered.pdf);
    for wanted in [
        "Preparing for your treatment",
        "Amara Okafor",
        "Sunday 20 December 2026",
        "Session 2 of 4",
        "From Sunday 22 November: Avoid sunburn",
        "From Thursday 10 December: Stop vitamin A creams",
        "From Sunday 6 December: If your doctor agrees",
        "From Friday 18 December: No alcohol for 48 hours",
        "From Sunday 13 December: If you have ever had cold sores",
        "On the day: Come with clean skin",
        "+351 21 123 4567",
    ] {
        assert_has(&text, wanted);
    }
}

#[test]
fn sheets_are_refused_for_the_wrong_kind_of_session_in_the_clinics_words() {
    let db = temp_db();
    let f = realistic(&db);
    let third = gather::session_facts(&f.store, f.session(3).id, date("2026-11-21")).unwrap();
    let e = build::aftercare(&third, &f.protocol).unwrap_err();
    assert!(matches!(e, PrintError::NotCompleted { number: 3, .. }));
    assert!(
        e.to_string()
            .contains("Session 3 of Amara Okafor is not done yet"),
        "{e}"
    );
    let e = build::preparation(&third, &f.protocol).unwrap_err();
    assert!(e.to_string().contains("is planned, not booked"), "{e}");
    assert!(e.to_string().contains("Book the session first"), "{e}");
    let mut no_clinic = aftercare_of(&f);
    no_clinic.clinic.name = "  ".to_owned();
    let e = build::aftercare(&no_clinic, &f.protocol).unwrap_err();
    assert!(
        e.to_string()
            .contains("Enter the clinic's name, address and phone in Settings"),
        "{e}"
    );
    let e =
        gather::session_facts(&f.store, needlepoint::domain::SessionId::new(), date(TREATED)).unwrap_err();
    assert!(e.to_string().starts_with("There is no session with id"), "{e}");
}

#[test]
fn the_screening_copy_lists_every_question_the_outcome_and_the_signature() {
    let db = temp_db();
    let f = realistic(&db);
    let screening = f.store.screenings_of(f.client.id).unwrap().remove(0);
    let facts = gather::screening_facts(&f.store, screening.id, date(TREATED)).unwrap();
    let sheet = Sheet::Screening(build::screening(&facts, &f.protocol).unwrap());
    let rendered = render(&sheet, &Templates::shipped(), date(TREATED)).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let text = pdf_text(&rendered.pdf);
    assert_has(&text, "Pre-treatment screening");
    assert_has(&text, "Amara Okafor");
    assert_has(&text, "2 April 1988");
    assert_has(&text, "Outcome: Clear");
    assert_has(&text, "Signed by Dr. Maya Lindqvist");
    for q in &f.protocol.intake_questions {
        let start: Vec<&str> = q.text.split_whitespace().take(4).collect();
        assert_has(&text, &start.join(" "));
    }
}

#[test]
fn a_broken_clinic_template_is_a_clear_error_not_a_panic() {
    let db = temp_db();
    let f = realistic(&db);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aftercare.typ"),
        "#import \"sheet.typ\": *\n#let data = json(bytes(sys.inputs.data))\n#data.no_such_field\n",
    )
    .unwrap();
    let sheet = Sheet::Aftercare(build::aftercare(&aftercare_of(&f), &f.protocol).unwrap());
    let e = render(&sheet, &Templates::with_clinic_dir(dir.path()), date(TREATED)).unwrap_err();
    let message = e.to_string();
    assert!(matches!(e, PrintError::Template { .. }));
    assert!(message.contains("aftercare.typ line 3"), "{message}");
    assert!(message.contains("no_such_field"), "{message}");

    // A clinic's own aftercare.typ replaces the shipped one.
    std::fs::write(
        dir.path().join("aftercare.typ"),
        "Our own words for #sys.inputs.data.len() bytes",
    )
    .unwrap();
    let rendered = render(&sheet, &Templates::with_clinic_dir(dir.path()), date(TREATED)).unwrap();
    assert_has(&pdf_text(&rendered.pdf), "Our own words for");
}

#[test]
fn printing_records_the_sheet_and_an_audit_row() {
    let db = temp_db();
    let mut f = realistic(&db);
    let out = db.dir.path().join("sheets").join("aftercare.pdf");
    let session = f.session(1).id;
    let printed = print_to_file(
        &mut f.store,
        &f.protocol,
        &Templates::shipped(),
        PrintRequest::Aftercare(session),
        date(TREATED),
        &out,
        "Reception",
    )
    .unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert!(printed.pages >= 1);
    let records = f.store.printed_for_client(f.client.id).unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.kind, DocumentKind::Aftercare);
    assert_eq!(r.printed_for, PrintedFor::Session(session));
    assert_eq!(r.path, out.display().to_string());
    assert_eq!(r.printed_by, "Reception");
    assert_eq!(r.summary(), "Aftercare printed 2026-11-22 09:30");
    let audit = f.store.audit_for_record(&r.id).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Print);
    assert_eq!(audit[0].table, "printed_documents");
    assert!(
        audit[0].detail.starts_with("aftercare for "),
        "{}",
        audit[0].detail
    );
    assert!(f.store.check().unwrap().is_clean());

    // The record is history: the file refuses to change or remove it.
    for sql in [
        format!("UPDATE printed_documents SET path = 'x' WHERE id = '{}'", r.id),
        format!("DELETE FROM printed_documents WHERE id = '{}'", r.id),
    ] {
        assert!(f.store.execute_raw(&sql).is_err(), "{sql}");
    }

    // A refused sheet writes nothing and records nothing.
    let other = db.dir.path().join("sheets").join("refused.pdf");
    let second = f.session(2).id;
    let e = print_to_file(
        &mut f.store,
        &f.protocol,
        &Templates::shipped(),
        PrintRequest::Aftercare(second),
        date(TREATED),
        &other,
        "Reception",
    )
    .unwrap_err();
    assert!(matches!(e, PrintError::NotCompleted { .. }));
    assert!(!other.exists());
    assert_eq!(f.store.printed_for_client(f.client.id).unwrap().len(), 1);
}

#[test]
fn the_command_line_prints_aftercare_prep_and_screening() {
    let db = temp_db();
    let f = realistic(&db);
    let (first, second, third) = (f.session(1).id, f.session(2).id, f.session(3).id);
    let screening = f.store.screenings_of(f.client.id).unwrap().remove(0).id;
    drop(f);
    let dbp = db.path.to_str().unwrap();
    let out = db.dir.path().join("cli-aftercare.pdf");
    let o = needlepoint_as_lead(&[
        "print",
        "aftercare",
        "--db",
        dbp,
        "--session",
        &first.to_string(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Aftercare for Amara Okafor written to"),
        "{}",
        text(&o)
    );
    let sheet = pdf_text(&std::fs::read(&out).unwrap());
    assert_has(&sheet, "Saturday 21 November 2026");
    assert_has(&sheet, "Until Tuesday 24 November");

    let prep = db.dir.path().join("cli-prep.pdf");
    let o = needlepoint_as_lead(&[
        "print",
        "prep",
        "--db",
        dbp,
        "--session",
        &second.to_string(),
        "--out",
        prep.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_has(
        &pdf_text(&std::fs::read(&prep).unwrap()),
        "Sunday 20 December 2026",
    );

    let copy = db.dir.path().join("cli-screening.pdf");
    let o = needlepoint_as_lead(&[
        "print",
        "screening",
        "--db",
        dbp,
        "--screening",
        &screening.to_string(),
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));

    // Unknown ids and a session not done yet are explained, and nothing is written.
    let refused = db.dir.path().join("refused.pdf");
    let o = needlepoint_as_lead(&[
        "print",
        "aftercare",
        "--db",
        dbp,
        "--session",
        &third.to_string(),
        "--out",
        refused.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("is not done yet"), "{}", text(&o));
    let o = needlepoint_as_lead(&[
        "print",
        "aftercare",
        "--db",
        dbp,
        "--session",
        "not-an-id",
        "--out",
        refused.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("\"not-an-id\" is not a session id"),
        "{}",
        text(&o)
    );
    let o = needlepoint_as_lead(&[
        "print",
        "aftercare",
        "--db",
        dbp,
        "--session",
        &needlepoint::domain::SessionId::new().to_string(),
        "--out",
        refused.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("There is no session with id"), "{}", text(&o));
    assert!(!refused.exists());

    let store = crate::common::open(&db);
    let client = store.screening(screening).unwrap().unwrap().client_id;
    let kinds: Vec<DocumentKind> = store
        .printed_for_client(client)
        .unwrap()
        .iter()
        .map(|p| p.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            DocumentKind::Aftercare,
            DocumentKind::Preparation,
            DocumentKind::Screening
        ]
    );
}

#[test]
fn the_print_button_saves_records_and_shows_when_aftercare_was_printed() {
    use egui_kittest::kittest::Queryable;
    let db = temp_db();
    if file_only(&db) {
        return;
    }
    let f = realistic(&db);
    let app = needlepoint::ui::NeedlepointApp::new(
        crate::common::open(&db),
        needlepoint::protocol::Protocol::shipped().unwrap(),
        date("2026-11-22"),
    )
    .signed_in_as(crate::common::LEAD)
    .with_sheet_delivery(needlepoint::print::deliver::Delivery::SaveOnly);
    let mut h = egui_kittest::Harness::builder()
        .with_max_steps(10_000)
        .with_size(egui::vec2(1400.0, 1200.0))
        .build_eframe(|cc| {
            needlepoint::ui::fonts::install(&cc.egui_ctx);
            app
        });
    h.run();
    h.state_mut().open_client_for_test(f.client.id);
    h.run();
    h.get_by_label("Print preparation sheet for session 2");
    h.get_by_label("Print screening of 2026-11-21");

    h.get_by_label("Print aftercare for session 1").click();
    h.run();
    if h.state().print_running() {
        // Rendering runs off the UI thread; the status line says so meanwhile.
        assert_eq!(h.state().status_text(), Some("Making the aftercare sheet…"));
    }
    h.state_mut().wait_for_background_work();
    h.run();
    let status = h.state().status_text().unwrap_or_default().to_owned();
    let folder = db.dir.path().join("documents");
    assert!(
        status.starts_with(&format!("The aftercare sheet was saved to {}", folder.display())),
        "{status}"
    );
    let saved: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1);
    let name = saved[0].file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, "aftercare-2026-11-22-093000-amara-okafor.pdf");
    assert_has(&pdf_text(&std::fs::read(&saved[0]).unwrap()), "Amara Okafor");
    h.get_by_label("Aftercare printed 2026-11-22 09:30");
    let printed = f.store.printed_for_client(f.client.id).unwrap();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].printed_by, crate::common::LEAD, "the person signed in");
}

#[test]
fn the_screening_copy_prints_the_clearances_it_relied_on() {
    let db = temp_db();
    let f = realistic(&db);
    let screening = f.store.screenings_of(f.client.id).unwrap().remove(0);
    let mut facts = gather::screening_facts(&f.store, screening.id, date(TREATED)).unwrap();
    facts.screening.clearances = vec![needlepoint::domain::Clearance {
        rule: "anticoagulants".to_owned(),
        given_by: "Dr Amara Obi".to_owned(),
        given_on: date("2026-11-01"),
        role: Some("GP".to_owned()),
        expires_on: Some(date("2027-05-01")),
    }];
    let sheet = Sheet::Screening(build::screening(&facts, &f.protocol).unwrap());
    let text = pdf_text(&render(&sheet, &Templates::shipped(), date(TREATED)).unwrap().pdf);
    assert_has(&text, "Written clearances:");
    assert_has(
        &text,
        "cleared by Dr Amara Obi (GP) on 2026-11-01, until 2027-05-01",
    );
}

/// Every text a client reads: the aftercare sheet of `facts` and the preparation sheet.
fn client_texts(f: &Fixture, facts: &build::SessionFacts) -> String {
    let aftercare = pdf_text(&render_aftercare(f, facts).pdf);
    let prep_facts = gather::session_facts(&f.store, f.session(2).id, date(TREATED)).unwrap();
    let prep = Sheet::Preparation(build::preparation(&prep_facts, &f.protocol).unwrap());
    let prep = pdf_text(&render(&prep, &Templates::shipped(), date(TREATED)).unwrap().pdf);
    format!("{aftercare} {prep}")
}

#[test]
fn client_sheets_carry_no_source_ids_tiers_or_jargon() {
    let db = temp_db();
    let f = realistic(&db);
    let text = client_texts(&f, &aftercare_of(&f));
    // A source id is a tier letter and a number standing alone: R3, P14, C11.
    let ids: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let mut cs = w.chars();
            matches!(cs.next(), Some('R' | 'P' | 'I' | 'M' | 'C' | 'X'))
                && w.len() > 1
                && cs.all(|c| c.is_ascii_digit())
        })
        .collect();
    assert!(ids.is_empty(), "source ids on a client sheet: {ids:?}");
    for jargon in [
        "AHA",
        "BHA",
        "tram-track",
        "granulomatous",
        "post-inflammatory",
        "tier",
        "intradermal",
    ] {
        assert!(!text.contains(jargon), "{jargon:?} on a client sheet");
    }
}

#[test]
fn the_sheets_agree_on_the_sun_and_say_what_to_do_in_an_emergency() {
    let db = temp_db();
    let f = realistic(&db);
    let text = client_texts(&f, &aftercare_of(&f));
    assert!(!text.contains("for 14 days. No tanning"), "no 14-day sun limit");
    assert_has(&text, "every day through your whole series");
    assert_has(
        &text,
        "No tanning (sunbathing, sun beds or self-tanner) for the rest of your series",
    );
    assert_has(&text, "for 4 weeks before each appointment");
    assert_has(&text, "keep to the shade and wear a wide");
    assert_has(&text, "Paracetamol is fine for pain");
    assert_has(
        &text,
        "Go to an emergency department or call emergency services at once",
    );
    assert_has(
        &text,
        "No other facial treatments (peels, laser, waxing or threading)",
    );
}

#[test]
fn a_scalp_session_gets_hair_washing_lines_and_no_make_up_line() {
    let db = temp_db();
    let f = realistic(&db);
    let face = pdf_text(&render_aftercare(&f, &aftercare_of(&f)).pdf);
    assert!(
        !face.contains("do not wash your hair"),
        "a face session has no hair-washing line"
    );
    let mut scalp = aftercare_of(&f);
    for a in &mut scalp.areas {
        a.area = "scalp".to_owned();
    }
    scalp.areas.truncate(1);
    let text = pdf_text(&render_aftercare(&f, &scalp).pdf);
    assert_has(&text, "Scalp: do not wash your hair for the first 6 hours");
    assert!(!text.contains("No make-up"), "no make-up line for a scalp");
    assert!(
        !text.contains("facial cleansing brushes"),
        "no facial-brush line for a scalp"
    );
    let mut body = aftercare_of(&f);
    body.areas.truncate(1);
    body.areas[0].area = "thighs_buttocks".to_owned();
    let text = pdf_text(&render_aftercare(&f, &body).pdf);
    assert_has(&text, "Body: wear loose, clean clothing");
    assert_has(&text, "Body: do not shave, wax or use hair-removal cream");
}

#[test]
fn a_sheet_without_the_clinics_phone_is_refused_with_what_to_do() {
    let db = temp_db();
    let f = realistic(&db);
    let mut facts = aftercare_of(&f);
    facts.clinic.phone = " ".to_owned();
    let e = build::aftercare(&facts, &f.protocol).unwrap_err();
    assert!(
        e.to_string().contains("Enter the clinic's phone in Settings"),
        "{e}"
    );
}
