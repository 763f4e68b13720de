//! Checks a parsed protocol: every source exists and backs the tier claimed, every cross
//! reference resolves, every number is inside what the pen and the calendar allow.
//! Each problem names the entry and the field, e.g. `concerns[melasma].depth.sources`.

use std::collections::HashSet;

use super::model::*;
use crate::domain::NeedleDepth;

pub fn problems(p: &Protocol) -> Vec<String> {
    let mut v = Validator {
        protocol: p,
        problems: Vec::new(),
    };
    v.check();
    v.problems
}

struct Validator<'a> {
    protocol: &'a Protocol,
    problems: Vec<String>,
}

impl Validator<'_> {
    fn report(&mut self, at: &str, message: impl Into<String>) {
        self.problems.push(format!("{at}: {}", message.into()));
    }

    fn check(&mut self) {
        let p = self.protocol;
        if p.version.trim().is_empty() {
            self.report("version", "is empty; records cite it, so it must be set");
        }
        if p.format > super::load::FORMAT {
            self.report(
                "format",
                format!(
                    "{} is newer than this Needlepoint reads ({}); update Needlepoint",
                    p.format,
                    super::load::FORMAT
                ),
            );
        }
        self.unique("sources", p.sources.iter().map(|s| s.id.as_str()));
        self.unique("areas", p.areas.iter().map(|s| s.id.as_str()));
        self.unique("concerns", p.concerns.iter().map(|s| s.id.as_str()));
        self.unique(
            "contraindications",
            p.contraindications.iter().map(|s| s.id.as_str()),
        );
        self.unique("serums", p.serums.iter().map(|s| s.id.as_str()));
        self.unique(
            "intake_questions",
            p.intake_questions.iter().map(|s| s.id.as_str()),
        );
        for a in &p.areas {
            self.area(a);
        }
        for c in &p.concerns {
            self.concern(c);
        }
        for c in &p.contraindications {
            self.contraindication(c);
        }
        for s in &p.serums {
            self.serum(s);
        }
        self.questions();
        self.sourced("series.sessions", &p.series.sessions, |v, at, r| {
            v.count_range(at, r, 1, 12)
        });
        self.sourced("series.interval_days", &p.series.interval_days, |v, at, r| {
            v.count_range(at, r, 1, 365)
        });
        self.care();
    }

    fn unique<'s>(&mut self, list: &str, ids: impl Iterator<Item = &'s str>) {
        let mut seen = HashSet::new();
        for id in ids {
            if id.trim().is_empty() {
                self.report(list, "an entry has an empty id");
            } else if !seen.insert(id) {
                self.report(&format!("{list}[{id}]"), "this id appears more than once");
            }
        }
    }

    fn source_ids(&mut self, at: &str, ids: &[String]) {
        for id in ids {
            if self.protocol.source(id).is_none() {
                self.report(at, format!("unknown source \"{id}\" (not in the sources list)"));
            }
        }
    }

    /// Sources exist and at least one is given; the tier claimed is no stronger than the best
    /// of its own sources (point 10 of issue 15: a value cannot be more certain than what it
    /// rests on); a value resting only on low-reliability (X) sources is refused.
    fn provenance(&mut self, at: &str, sources: &[String], tier: Tier) {
        self.provenance_of(at, sources, tier, true);
    }

    fn provenance_of(&mut self, at: &str, sources: &[String], tier: Tier, has_value: bool) {
        if sources.is_empty() {
            // A gap asserts nothing, so it may rest on nothing.
            if has_value {
                self.report(&format!("{at}.sources"), "no source given; every value needs one");
            }
            return;
        }
        self.source_ids(&format!("{at}.sources"), sources);
        let known: Vec<&Source> = sources.iter().filter_map(|id| self.protocol.source(id)).collect();
        let Some(best) = known.iter().min_by_key(|s| s.tier) else {
            return;
        };
        if tier < best.tier {
            self.report(
                &format!("{at}.tier"),
                format!(
                    "tier {tier:?} is stronger than its best source ({}, tier {:?}); use {:?} or a weaker tier, or add a stronger source",
                    best.id, best.tier, best.tier
                ),
            );
        }
        if has_value && best.tier == Tier::X {
            self.report(
                &format!("{at}.sources"),
                "rests only on low-reliability (X) sources, which are never the sole basis of a value; add a better source or make it a gap (null)",
            );
        }
    }

    fn sourced<T>(&mut self, at: &str, s: &Sourced<T>, check_value: impl FnOnce(&mut Self, &str, &T)) {
        self.provenance_of(at, &s.sources, s.tier, s.value.is_some());
        if let Some(d) = &s.disagreement {
            let dat = format!("{at}.disagreement");
            if d.positions.len() < 2 {
                self.report(&dat, "a disagreement needs at least two positions");
            }
            for (i, pos) in d.positions.iter().enumerate() {
                if pos.sources.is_empty() {
                    self.report(&format!("{dat}.positions[{i}].sources"), "no source given");
                }
                self.source_ids(&format!("{dat}.positions[{i}].sources"), &pos.sources);
            }
        }
        if let Some(value) = &s.value {
            check_value(self, &format!("{at}.value"), value);
        }
    }

    fn depth(&mut self, at: &str, mm: f64) -> Option<NeedleDepth> {
        match NeedleDepth::from_mm_f64(mm) {
            Ok(d) => Some(d),
            Err(e) => {
                self.report(at, e.to_string());
                None
            }
        }
    }

    fn mm_range(&mut self, at: &str, r: &MmRange) {
        let min = self.depth(&format!("{at}.min_mm"), r.min_mm);
        let max = self.depth(&format!("{at}.max_mm"), r.max_mm);
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                self.report(at, format!("min {min} is deeper than max {max}"));
            }
        }
    }

    fn count_range(&mut self, at: &str, r: &CountRange, lowest: u16, highest: u16) {
        if r.min > r.max || r.min < lowest || r.max > highest {
            self.report(
                at,
                format!(
                    "{}–{} must be a range within {lowest}–{highest}, smallest first",
                    r.min, r.max
                ),
            );
        }
    }

    fn refs(&mut self, at: &str, ids: &[String], exists: impl Fn(&Protocol, &str) -> bool, what: &str) {
        for id in ids {
            if !exists(self.protocol, id) {
                self.report(at, format!("unknown {what} \"{id}\""));
            }
        }
    }

    fn area(&mut self, a: &Area) {
        let at = format!("areas[{}]", a.id);
        self.sourced(&format!("{at}.typical_depth"), &a.typical_depth, |v, at, r| {
            v.mm_range(at, r);
        });
        self.sourced(&format!("{at}.max_depth"), &a.max_depth, |v, at, mm| {
            v.depth(at, *mm);
        });
        if let (Some(typical), Some(max)) = (a.typical_range(), a.max_depth()) {
            if typical.max > max {
                self.report(
                    &format!("{at}.max_depth"),
                    format!("{max} is shallower than the typical range {typical}"),
                );
            }
        }
        for (i, e) in a.exclusions.iter().enumerate() {
            self.provenance(&format!("{at}.exclusions[{i}]"), &e.sources, e.tier);
        }
        if let Some(scope) = &a.device_skin_types {
            self.sourced(&format!("{at}.device_skin_types"), scope, |v, at, r| {
                match (
                    crate::domain::SkinType::parse(&r.from),
                    crate::domain::SkinType::parse(&r.to),
                ) {
                    (Ok(from), Ok(to)) if from <= to => {}
                    (Ok(_), Ok(_)) => v.report(at, "from is a darker type than to"),
                    _ => v.report(at, "from and to must be Fitzpatrick types I to VI"),
                }
            });
        }
    }

    fn concern(&mut self, c: &Concern) {
        let at = format!("concerns[{}]", c.id);
        self.refs(
            &format!("{at}.suggested_areas"),
            &c.suggested_areas,
            |p, id| p.area(id).is_some(),
            "area",
        );
        self.refs(
            &format!("{at}.serums"),
            &c.serums,
            |p, id| p.serum(id).is_some(),
            "serum",
        );
        self.sourced(&format!("{at}.depth"), &c.depth, |v, at, r| v.mm_range(at, r));
        self.sourced(&format!("{at}.sessions"), &c.sessions, |v, at, r| {
            v.count_range(at, r, 1, 12);
        });
        self.sourced(&format!("{at}.interval_days"), &c.interval_days, |v, at, r| {
            v.count_range(at, r, 1, 365);
        });
    }

    fn contraindication(&mut self, c: &Contraindication) {
        let at = format!("contraindications[{}]", c.id);
        self.sourced(&format!("{at}.class"), &c.class, |_, _, _| {});
        match c.class.value {
            // A gap: no source classifies it. The finding then says so and asks for judgment.
            None => {}
            Some(ContraindicationClass::Clearance)
                if c.clearance_from.as_deref().is_none_or(|w| w.trim().is_empty()) =>
            {
                self.report(
                    &format!("{at}.clearance_from"),
                    "a clearance contraindication must name who gives the clearance",
                );
            }
            _ => {}
        }
        self.sourced(&format!("{at}.deferral"), &c.deferral, |v, at, d| {
            if let Deferral::Period { period, .. } = d {
                v.period(&format!("{at}.period"), period);
            }
        });
    }

    fn period(&mut self, at: &str, p: &Period) {
        let set: Vec<u16> = [p.days, p.weeks, p.months].into_iter().flatten().collect();
        if set.len() != 1 || set[0] == 0 {
            self.report(at, "give exactly one of days, weeks or months, above zero");
        }
    }

    fn serum(&mut self, s: &Serum) {
        let at = format!("serums[{}]", s.id);
        self.refs(
            &format!("{at}.suits"),
            &s.suits,
            |p, id| p.concern(id).is_some(),
            "concern",
        );
        self.sourced(&format!("{at}.status"), &s.status, |_, _, _| {});
        if s.status.value == Some(SerumStatus::Discouraged)
            && s.warning.as_deref().is_none_or(|w| w.trim().is_empty())
        {
            self.report(
                &format!("{at}.warning"),
                "a discouraged serum needs a warning to show",
            );
        }
    }

    fn questions(&mut self) {
        let p = self.protocol;
        let mut screened = HashSet::new();
        for q in &p.intake_questions {
            let at = format!("intake_questions[{}]", q.id);
            self.refs(
                &format!("{at}.screens_for"),
                &q.screens_for,
                |p, id| p.contraindication(id).is_some(),
                "contraindication",
            );
            self.source_ids(&format!("{at}.sources"), &q.sources);
            screened.extend(q.screens_for.iter().map(String::as_str));
            let mut seen = HashSet::new();
            for f in &q.follow_ups {
                let fat = format!("{at}.follow_ups[{}]", f.id);
                if !seen.insert(f.id.as_str()) {
                    self.report(&fat, "this id appears more than once");
                }
                if let Some(choice) = &f.chooses {
                    if f.kind != FollowUpKind::YesNo {
                        self.report(
                            &format!("{fat}.chooses"),
                            "only a yes_no follow-up can choose a condition",
                        );
                    }
                    for id in [&choice.yes, &choice.otherwise] {
                        if !q.screens_for.contains(id) {
                            self.report(
                                &format!("{fat}.chooses"),
                                format!("\"{id}\" is not in this question's screens_for"),
                            );
                        }
                    }
                }
            }
        }
        for c in &p.contraindications {
            if let Some(id) = &c.confirmed_by {
                let asked = p.intake_questions.iter().any(|q| {
                    q.screens_for.contains(&c.id)
                        && q.follow_ups
                            .iter()
                            .any(|f| &f.id == id && f.kind == FollowUpKind::YesNo)
                });
                if !asked {
                    self.report(
                        &format!("contraindications[{}].confirmed_by", c.id),
                        format!(
                            "\"{id}\" is not a yes_no follow-up of a question that screens for this rule"
                        ),
                    );
                }
            }
            if !screened.contains(c.id.as_str()) {
                self.report(
                    &format!("contraindications[{}]", c.id),
                    "no intake question screens for it (add it to a question's screens_for)",
                );
            }
        }
    }

    fn care(&mut self) {
        let p = self.protocol;
        for (i, item) in p.care.preparation.iter().enumerate() {
            self.sourced(&format!("care.preparation[{i}].text"), &item.text, |_, _, _| {});
        }
        for phase in &p.care.aftercare {
            let at = format!("care.aftercare[{}]", phase.id);
            if phase.from_day > phase.to_day {
                self.report(&at, "from_day is after to_day");
            }
            for (i, item) in phase.items.iter().enumerate() {
                self.sourced(&format!("{at}.items[{i}].text"), &item.text, |_, _, _| {});
            }
        }
        for (i, sign) in p.care.signs.iter().enumerate() {
            self.sourced(&format!("care.signs[{i}].text"), &sign.text, |_, _, _| {});
        }
    }
}
