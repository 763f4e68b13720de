//! Evidence tiers are honest (issue 15, point 10; review B1): a value's tier may not be
//! stronger than the best of its own sources, and a value resting only on low-reliability
//! sources is refused. The shipped file passes; a planted over-tier fails, naming the entry.

use serde_json::Value;

use needlepoint::protocol::{Protocol, SHIPPED_JSON};

fn shipped() -> Value {
    serde_json::from_str(SHIPPED_JSON).unwrap()
}

fn entry<'a>(json: &'a mut Value, list: &str, id: &str) -> &'a mut Value {
    json[list]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["id"] == id)
        .unwrap()
}

fn refusal(json: &Value) -> String {
    Protocol::from_json(&json.to_string()).unwrap_err().to_string()
}

#[test]
fn the_shipped_file_passes_and_its_source_index_is_honest() {
    let p = Protocol::shipped().unwrap();
    let tier = |id: &str| p.source(id).unwrap().tier;
    use needlepoint::protocol::Tier::*;
    // Registrations, blogs, aggregator summaries and a trade magazine are not R or P or I.
    assert_eq!(tier("R13"), I);
    assert_eq!(tier("R14"), I);
    assert_eq!(tier("R5"), M);
    assert_eq!(tier("R9"), M);
    assert_eq!(tier("P24"), X);
    assert_eq!(tier("P28"), X);
    assert_eq!(tier("P52"), X);
    assert_eq!(tier("I7"), M);
    // The values B1 names.
    assert_eq!(
        p.contraindication("gold_threads").unwrap().class.value,
        None,
        "a gap, not M"
    );
    assert_eq!(p.series.interval_days.tier, M);
    assert_eq!(p.area("back").unwrap().typical_depth.tier, I);
}

#[test]
fn an_over_tiered_value_is_refused_with_its_path() {
    // A concern's depth: C10-only value claimed as P.
    let mut json = shipped();
    entry(&mut json, "concerns", "melasma")["depth"]["tier"] = Value::from("P");
    let e = refusal(&json);
    assert!(
        e.contains("concerns[melasma].depth.tier: tier P is stronger than its best source (C16, tier C)"),
        "{e}"
    );

    // A contraindication's class.
    let mut json = shipped();
    entry(&mut json, "contraindications", "recent_sun")["class"]["tier"] = Value::from("R");
    assert!(refusal(&json).contains("contraindications[recent_sun].class.tier"));

    // A care item.
    let mut json = shipped();
    json["care"]["preparation"][0]["text"]["tier"] = Value::from("R");
    assert!(
        refusal(&json).contains("care.preparation[0].text.tier"),
        "{}",
        refusal(&json)
    );
}

#[test]
fn a_value_resting_only_on_an_aggregator_is_refused() {
    let mut json = shipped();
    let depth = &mut entry(&mut json, "concerns", "hair_loss")["depth"];
    depth["sources"] = serde_json::json!(["P24"]);
    depth["tier"] = Value::from("X");
    depth.as_object_mut().unwrap().remove("disagreement");
    let e = refusal(&json);
    assert!(
        e.contains("concerns[hair_loss].depth.sources: rests only on low-reliability (X) sources"),
        "{e}"
    );
}

#[test]
fn protocol_check_refuses_a_planted_over_tier_and_passes_the_shipped_file() {
    let ok = crate::common::cli::needlepoint(&["protocol", "check"]);
    assert!(ok.status.success(), "{}", crate::common::cli::text(&ok));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("protocol.json");
    let mut json = shipped();
    entry(&mut json, "serums", "prp")["status"]["tier"] = Value::from("R");
    std::fs::write(&file, json.to_string()).unwrap();
    let out = crate::common::cli::needlepoint(&["protocol", "check", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let text = crate::common::cli::text(&out);
    assert!(
        text.contains("serums[prp].status.tier: tier R is stronger"),
        "{text}"
    );
}
