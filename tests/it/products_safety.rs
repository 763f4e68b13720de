//! Products that cannot harm by default (issue 15, point 3; review A3, A4, A6): prescription
//! products are never pre-selected and need the prescriber; home care is listed apart and never
//! applied in the session; growth factors and peptides carry the sterility warning; numbing
//! cream on body areas carries the large-area warning.

use crate::common::ui::type_into;
use crate::common::{client, concern, date, open, shipped_protocol, temp_db};
use egui_kittest::kittest::{NodeT, Queryable};
use needlepoint::domain::{ClientConcern, IntervalWindow, SeriesSpec, TreatmentPlan};
use needlepoint::protocol::{Protocol, SerumUse};

#[test]
fn melasma_preselects_no_prescription_and_no_home_product() {
    let p = shipped_protocol();
    let melasma = concern("melasma", "cheeks");
    let proposal = p.propose_plan(&[&melasma]);
    let pre: Vec<&str> = proposal
        .serums
        .iter()
        .filter(|s| s.preselected())
        .map(|s| s.serum.as_str())
        .collect();
    assert_eq!(pre, ["ha_gel"], "only the sterile glide gel is ticked");
    let get = |id: &str| proposal.serums.iter().find(|s| s.serum == id).unwrap();
    assert!(get("tranexamic_acid").needs_prescriber);
    assert!(get("triple_combination_cream").needs_prescriber);
    assert_eq!(get("triple_combination_cream").use_in, SerumUse::HomeCare);
    assert_eq!(get("mineral_sunscreen").use_in, SerumUse::HomeCare);
    assert!(get("tranexamic_acid")
        .warning
        .as_deref()
        .unwrap()
        .contains("contraceptive-pill use in the past 12 months"));
    // Hyperpigmentation: the sunscreen is home care, not the first in-session serum.
    let hyper = concern("hyperpigmentation", "cheeks");
    let first = p
        .propose_plan(&[&hyper])
        .serums
        .into_iter()
        .find(|s| s.use_in == SerumUse::InSession)
        .unwrap();
    assert_eq!(first.serum, "ha_gel");
    // A home product used in the session needs a written reason.
    let why = p.discouraged_serums();
    assert!(
        why["mineral_sunscreen"].contains("at home"),
        "{}",
        why["mineral_sunscreen"]
    );
}

#[test]
fn growth_factors_and_peptides_carry_the_sterility_warning() {
    let p = shipped_protocol();
    let wrinkles = concern("wrinkles_fine_lines", "forehead");
    let proposal = p.propose_plan(&[&wrinkles]);
    for id in ["growth_factors", "peptides"] {
        let s = proposal.serums.iter().find(|s| s.serum == id).unwrap();
        assert!(s.discouraged, "{id}");
        assert!(!s.preselected(), "{id}");
        assert!(
            s.warning
                .as_deref()
                .unwrap()
                .contains("sterile product made for use on needled skin"),
            "{id}"
        );
    }
}

#[test]
fn numbing_cream_on_body_areas_carries_the_large_area_warning() {
    let p = Protocol::shipped().unwrap();
    let body = p.numbing_warnings(["thighs_buttocks"]);
    assert_eq!(body.len(), 1);
    assert!(body[0].contains("never wrap or cover it"), "{}", body[0]);
    assert!(
        p.numbing_warnings(["cheeks", "forehead"]).is_empty(),
        "not on the face"
    );
}

#[test]
fn a_plan_with_a_prescription_product_names_the_prescriber() {
    let db = temp_db();
    let mut store = open(&db);
    let c = client("Mei Chen", "1985-06-01", None);
    let melasma = ClientConcern {
        client_id: c.id,
        ..concern("melasma", "cheeks")
    };
    let spec = SeriesSpec::new(date("2026-12-05"), 3, IntervalWindow::default()).unwrap();
    let mut plan = TreatmentPlan::new(c.id, "Melasma", spec, "2026.12-1").unwrap();
    plan.concerns = vec![melasma.id];
    plan.serums = vec!["ha_gel".to_owned(), "tranexamic_acid".to_owned()];
    let p = shipped_protocol();
    let limits = p.plan_depth_limits(plan.area_ids(), &[&melasma]);
    store
        .write("Reception", |w| {
            w.insert_client(&c)?;
            w.insert_concern(&melasma)
        })
        .unwrap();
    let refused = store
        .write("Reception", |w| {
            w.insert_plan(&plan, &plan.initial_sessions(), &limits)
        })
        .unwrap_err();
    assert!(refused.to_string().contains("name the prescriber"), "{refused}");
    plan.prescriber = Some("Dr Amara Obi, dermatologist".to_owned());
    store
        .write("Reception", |w| {
            w.insert_plan(&plan, &plan.initial_sessions(), &limits)
        })
        .unwrap();
    let kept = store.plans_of(c.id).unwrap();
    assert_eq!(kept[0].prescriber.as_deref(), Some("Dr Amara Obi, dermatologist"));
}

#[test]
fn the_plan_form_asks_for_the_prescriber_only_when_a_prescription_product_is_ticked() {
    let db = temp_db();
    let id = {
        let mut store = open(&db);
        let c = client("Mei Chen", "1985-06-01", None);
        let melasma = ClientConcern {
            client_id: c.id,
            ..concern("melasma", "cheeks")
        };
        store
            .write("Reception", |w| {
                w.insert_client(&c)?;
                w.insert_concern(&melasma)
            })
            .unwrap();
        c.id
    };
    let mut h = crate::common::ui::record_of(&db, id, date("2026-12-05"), 1400.0);
    h.get_by_label("New plan").click();
    h.run();
    h.get_by_label("Home care (for the client at home, never applied in the session)");
    let prescriber = needlepoint::domain::plan_rules::field::PRESCRIBER;
    assert!(
        h.query_by_label(prescriber).is_none(),
        "nothing prescription is ticked"
    );
    let txa = h.get_by_label_contains("Tranexamic acid (TXA)");
    assert_ne!(
        txa.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "never ticked for the practitioner"
    );
    txa.click();
    h.run();
    // The depths are pre-filled from the proposal (melasma: within 0.20 mm, no reason needed).
    h.get_by_label("Save plan").click();
    h.run();
    h.get_by_label_contains("name the prescriber");
    type_into(&mut h, prescriber, "Dr Amara Obi, dermatologist");
    h.get_by_label("Save plan").click();
    h.run();
    let plans = h.state().store().plans_of(id).unwrap();
    assert_eq!(plans.len(), 1, "{:?}", h.state().status_text());
    assert!(plans[0].serums.contains(&"tranexamic_acid".to_owned()));
    assert_eq!(
        plans[0].prescriber.as_deref(),
        Some("Dr Amara Obi, dermatologist")
    );
}
