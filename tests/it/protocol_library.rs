//! The shipped protocol library: it loads, every value has a source and tier, every cross
//! reference resolves, and a clinic's broken file is refused with the entry and field named.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::NaiveDate;
use needlepoint::protocol::{ContraindicationClass, Deferral, Protocol, ProtocolError};
use serde_json::Value;

fn shipped() -> Protocol {
    match Protocol::shipped() {
        Ok(p) => p,
        Err(e) => panic!("the shipped protocol does not load: {e}"),
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

#[test]
fn the_shipped_protocol_loads_and_has_a_version() {
    let p = shipped();
    assert!(!p.version.trim().is_empty());
}

#[test]
fn it_covers_every_area_the_clinics_treat() {
    let p = shipped();
    for id in [
        "forehead",
        "glabella",
        "periorbital",
        "nose",
        "cheeks",
        "perioral",
        "chin_jawline",
        "neck",
        "decollete",
        "hands",
        "scalp",
        "abdomen",
        "thighs_buttocks",
        "arms",
        "back",
    ] {
        assert!(p.area(id).is_some(), "missing area {id}");
    }
    let eye = p.area("periorbital").expect("periorbital");
    assert!(
        eye.exclusions
            .iter()
            .any(|e| e.text.to_lowercase().contains("orbital rim")),
        "{:?}",
        eye.exclusions
    );
}

#[test]
fn it_covers_every_concern_the_seed_pages_name() {
    let p = shipped();
    for id in [
        "acne_scars_rolling",
        "acne_scars_boxcar",
        "acne_scars_ice_pick",
        "enlarged_pores",
        "stretch_marks",
        "wrinkles_fine_lines",
        "sun_damage",
        "hyperpigmentation",
        "melasma",
        "rosacea",
        "uneven_tone",
        "textured_skin",
        "loose_skin",
        "hair_loss",
    ] {
        assert!(p.concern(id).is_some(), "missing concern {id}");
    }
}

#[test]
fn it_has_every_contraindication_row_of_the_digest() {
    let p = shipped();
    let rows: Vec<&str> = p
        .contraindications
        .iter()
        .map(|c| c.digest_row.as_str())
        .collect();
    let mut expected: Vec<String> = (1..=31).map(|n| n.to_string()).collect();
    expected.extend(["2a", "9a", "13a"].map(str::to_owned));
    for row in &expected {
        assert!(rows.contains(&row.as_str()), "§2 row {row} is missing");
    }
    let from_digest = p.intake_questions.iter().filter(|q| q.number <= 22).count();
    assert_eq!(from_digest, 22, "§6.3 has 22 questions");
    // Asked as well since the clinical review (C5): unwell today, tranexamic acid, PRP.
    let added: Vec<&str> = p
        .intake_questions
        .iter()
        .filter(|q| q.number > 22)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(added, ["unwell", "tranexamic_acid_safety", "prp_safety"]);
}

#[test]
fn every_value_names_known_sources_with_their_tier() {
    // The validator runs at load; this checks the shipped file from the outside as well.
    let p = shipped();
    let json: Value = serde_json::from_str(needlepoint::protocol::SHIPPED_JSON).expect("json");
    let mut sourced = 0;
    walk(&json, &mut |v| {
        if let (Some(sources), Some(tier)) = (v.get("sources"), v.get("tier")) {
            sourced += 1;
            let ids: Vec<&str> = sources
                .as_array()
                .expect("array")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let gap = v.get("value").is_some_and(Value::is_null);
            assert!(!ids.is_empty() || gap, "a value without sources: {v}");
            // No stronger than the best of its own sources (R strongest, X weakest).
            let order = ["R", "P", "I", "M", "C", "X"];
            let rank = |t: &str| order.iter().position(|o| *o == t).expect("a tier");
            let best = ids
                .iter()
                .map(|id| rank(&format!("{:?}", p.source(id).expect("known source").tier)))
                .min();
            if let Some(best) = best {
                assert!(
                    rank(tier.as_str().expect("tier")) >= best,
                    "tier {tier} is stronger than its best source in {v}"
                );
            }
        }
    });
    assert!(sourced > 100, "only {sourced} sourced values");
}

fn walk(v: &Value, f: &mut impl FnMut(&Value)) {
    f(v);
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        Value::Object(o) => o.values().for_each(|x| walk(x, f)),
        _ => {}
    }
}

#[test]
fn gaps_stay_gaps_instead_of_invented_numbers() {
    let p = shipped();
    // The digest found no mechanical-microneedling depth for these areas (§8).
    for id in ["neck", "decollete", "hands", "arms", "thighs_buttocks"] {
        let a = p.area(id).expect("area");
        assert!(a.typical_depth.is_gap(), "{id} has an invented typical depth");
    }
}

#[test]
fn disagreements_are_recorded_and_the_conservative_value_wins() {
    let p = shipped();
    let melasma = p.concern("melasma").expect("melasma");
    assert!(
        melasma.depth.disagreement.is_some(),
        "melasma depth sources disagree (P27 vs C16)"
    );
    if let Some(r) = melasma.depth_range() {
        assert!(
            r.max.hundredths() < 150,
            "melasma should take the conservative shallow depth, got {r}"
        );
    }
    for area in &p.areas {
        if let Some(max) = area.max_depth() {
            assert!(
                max.hundredths() <= 150,
                "{} max {max} is above SkinPen's evaluated 1.5 mm",
                area.id
            );
        }
    }
    let iso = p.contraindication("isotretinoin").expect("isotretinoin");
    assert!(iso.deferral.disagreement.is_some() || iso.class.disagreement.is_some());
}

#[test]
fn the_isotretinoin_deferral_counts_six_months_from_the_last_dose() {
    let p = shipped();
    let iso = p.contraindication("isotretinoin").expect("isotretinoin");
    let Some(Deferral::Period { period, .. }) = &iso.deferral.value else {
        panic!(
            "isotretinoin needs a dated deferral, got {:?}",
            iso.deferral.value
        );
    };
    assert_eq!(period.after(date("2026-09-01")), Some(date("2027-03-01")));
    let f = p.finding_for(iso, date("2027-02-28"), Some(date("2026-09-01")), None, None);
    assert_eq!(f.defer_until, Some(date("2027-03-01")));
    let f = p.finding_for(iso, date("2027-03-01"), Some(date("2026-09-01")), None, None);
    assert_eq!(f.defer_until, None, "the wait is over on 2027-03-01");
    assert!(!f.sources.is_empty());
}

#[test]
fn clearance_contraindications_name_who_clears() {
    let p = shipped();
    for c in &p.contraindications {
        if c.class.value == Some(ContraindicationClass::Clearance) {
            assert!(
                c.clearance_from.as_deref().is_some_and(|w| !w.is_empty()),
                "{} has no clearance_from",
                c.id
            );
        }
    }
}

fn broken(edit: impl FnOnce(&mut Value)) -> String {
    let mut json: Value = serde_json::from_str(needlepoint::protocol::SHIPPED_JSON).expect("json");
    edit(&mut json);
    match Protocol::from_json(&json.to_string()) {
        Ok(_) => panic!("a broken protocol was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_broken_clinic_file_names_the_entry_and_field() {
    let unknown_tier = broken(|j| j["areas"][0]["max_depth"]["tier"] = Value::from("Z"));
    assert!(unknown_tier.contains("areas[0].max_depth.tier"), "{unknown_tier}");

    let unknown_source = broken(|j| j["areas"][0]["max_depth"]["sources"] = serde_json::json!(["Q99"]));
    let area = shipped().areas[0].id.clone();
    assert!(
        unknown_source.contains(&format!("areas[{area}].max_depth.sources")),
        "{unknown_source}"
    );
    assert!(unknown_source.contains("Q99"), "{unknown_source}");

    let too_deep = broken(|j| j["areas"][0]["max_depth"]["value"] = Value::from(3.0));
    assert!(
        too_deep.contains(&format!("areas[{area}].max_depth.value")),
        "{too_deep}"
    );

    let dangling = broken(|j| j["concerns"][0]["suggested_areas"] = serde_json::json!(["elbow"]));
    assert!(
        dangling.contains("suggested_areas") && dangling.contains("elbow"),
        "{dangling}"
    );

    let missing_field = broken(|j| {
        j["contraindications"][0]
            .as_object_mut()
            .expect("object")
            .remove("class");
    });
    assert!(
        missing_field.contains("contraindications[0]") && missing_field.contains("class"),
        "{missing_field}"
    );

    let not_json = Protocol::from_json("{ this is not json")
        .expect_err("not json")
        .to_string();
    assert!(not_json.contains("not valid"), "{not_json}");
}

#[test]
fn a_missing_clinic_file_is_a_read_error_with_its_path() {
    let e = Protocol::from_file(std::path::Path::new("/no/such/protocol.json")).expect_err("missing");
    assert!(matches!(e, ProtocolError::Read { .. }));
    assert!(e.to_string().contains("/no/such/protocol.json"));
}

#[test]
fn an_area_limited_finding_removes_only_that_area() {
    let p = shipped();
    let wound = p.contraindication("open_wound").expect("open wound");
    assert!(wound.area_limited);
    let f = p.finding_for(wound, date("2026-11-22"), None, Some("chin_jawline"), None);
    assert_eq!(f.area.as_deref(), Some("chin_jawline"));
    let outcome = needlepoint::domain::Outcome::from_findings(vec![f]);
    assert_eq!(
        outcome.kind,
        needlepoint::domain::OutcomeKind::Caution,
        "the rest of the face can be treated"
    );
    assert_eq!(outcome.excluded_areas, ["chin_jawline"]);

    let pregnancy = p.contraindication("pregnancy_breastfeeding").expect("pregnancy");
    let whole = p.finding_for(pregnancy, date("2026-11-22"), None, Some("cheeks"), None);
    assert_eq!(
        whole.area, None,
        "a systemic condition is never limited to an area"
    );
    let outcome = needlepoint::domain::Outcome::from_findings(vec![
        p.finding_for(wound, date("2026-11-22"), None, Some("chin_jawline"), None),
        whole,
    ]);
    assert_eq!(
        outcome.kind,
        needlepoint::domain::OutcomeKind::DoNotTreat,
        "the strictest finding decides"
    );
    assert_eq!(outcome.findings.len(), 2, "all findings are listed");
}

#[test]
fn a_clearance_rule_must_say_who_clears_and_a_clearance_lets_it_go_ahead() {
    // Prescribed blood thinners need a written clearance (protocol 2026.12, review B2); a clinic's
    // own file that drops who gives it is refused.
    let mut json: Value = serde_json::from_str(needlepoint::protocol::SHIPPED_JSON).expect("json");
    let rules = json["contraindications"].as_array_mut().expect("array");
    let anticoagulants = rules
        .iter_mut()
        .find(|c| c["id"] == "anticoagulants")
        .expect("rule");
    assert_eq!(anticoagulants["class"]["value"], "clearance");
    anticoagulants
        .as_object_mut()
        .expect("object")
        .remove("clearance_from");
    let missing = Protocol::from_json(&json.to_string())
        .expect_err("clearance without who")
        .to_string();
    assert!(
        missing.contains("contraindications[anticoagulants].clearance_from"),
        "{missing}"
    );

    let rules = json["contraindications"].as_array_mut().expect("array");
    let anticoagulants = rules
        .iter_mut()
        .find(|c| c["id"] == "anticoagulants")
        .expect("rule");
    anticoagulants["clearance_from"] = Value::from("prescribing physician");
    let p = Protocol::from_json(&json.to_string()).expect("valid clinic protocol");
    let rule = p.contraindication("anticoagulants").expect("rule");
    let without = p.finding_for(rule, date("2026-11-22"), None, None, None);
    assert_eq!(without.kind, needlepoint::domain::OutcomeKind::NeedsClearance);
    assert!(
        without.message.contains("prescribing physician"),
        "{}",
        without.message
    );
    let clearance = needlepoint::domain::Clearance {
        rule: "anticoagulants".to_owned(),
        given_by: "Dr. Okafor".to_owned(),
        given_on: date("2026-11-20"),
        role: None,
        expires_on: None,
    };
    let with = p.finding_for(rule, date("2026-11-22"), None, None, Some(&clearance));
    assert_eq!(with.kind, needlepoint::domain::OutcomeKind::Caution);
    assert!(with.message.contains("Dr. Okafor"), "{}", with.message);
}
