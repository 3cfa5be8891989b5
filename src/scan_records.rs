//! Scanning records: text rules on every field's value, record rules on
//! each record as a whole.

use crate::compile::{Cond, FieldSel, FieldTest};
use crate::finding::{Evidence, Finding, FoundQuantity};
use crate::records::quantity::{Unit, field_quantity, quantities};
use crate::records::roles::{FieldMap, Role, key};
use crate::records::{Record, Records};
use crate::ruleset::{CompiledRule, RuleSet};
use crate::scan::{Hits, assign_fingerprints, scan_with_hits};

/// What matched in one field, for evidence.
struct FieldMatch {
    field: usize,
    start: usize,
    end: usize,
    label: String,
    quantity: Option<FoundQuantity>,
}

struct RecordEval<'a> {
    set: &'a RuleSet,
    record: &'a Record,
    hits: Vec<Hits<'a>>,
    roles: Vec<Option<Role>>,
    keys: Vec<String>,
}

impl RecordEval<'_> {
    fn selected(&self, sel: &FieldSel) -> impl Iterator<Item = usize> + '_ {
        let sel = sel.clone();
        (0..self.record.fields.len()).filter(move |&i| match &sel {
            FieldSel::Role(r) => self.roles[i] == Some(*r),
            FieldSel::Path(p) => self.keys[i] == *p,
        })
    }

    fn unit_field(&self) -> Option<Unit> {
        (0..self.record.fields.len())
            .find(|&i| self.roles[i] == Some(Role::Unit))
            .and_then(|i| Unit::parse(&self.record.fields[i].value))
    }

    /// The matches of a field test in field `i`.
    fn test_field(&self, test: &FieldTest, i: usize) -> Option<FieldMatch> {
        let value = &self.record.fields[i].value;
        let whole = |label: String| FieldMatch {
            field: i,
            start: 0,
            end: value.len(),
            label,
            quantity: None,
        };
        match test {
            FieldTest::Atom(a) => {
                self.hits[i]
                    .within(*a, &(0..value.len()))
                    .first()
                    .map(|h| FieldMatch {
                        field: i,
                        start: h.start,
                        end: h.end,
                        label: self.set.matcher().atom_name(*a).to_owned(),
                        quantity: None,
                    })
            }
            FieldTest::Country(codes) => codes
                .contains(&value.trim().to_uppercase())
                .then(|| whole(format!("country {}", value.trim()))),
            FieldTest::Hs(ranges) => ranges
                .iter()
                .find(|r| r.contains(value))
                .map(|r| whole(format!("HS {r}"))),
            FieldTest::Quantity(q) => {
                let (n, unit) = field_quantity(value)?;
                let unit = unit.or_else(|| self.unit_field())?;
                let v = q.accepts(n, unit)?;
                let mut m = whole(format!("quantity in {}", q.unit.name()));
                m.quantity = Some(FoundQuantity {
                    value: (v * 100.0).round() / 100.0,
                    unit: q.unit.name().to_owned(),
                    text: format!("{} {}", value.trim(), unit.name()),
                });
                Some(m)
            }
        }
    }

    fn holds(&self, c: &Cond) -> bool {
        match c {
            Cond::Atom(a) => self
                .hits
                .iter()
                .zip(&self.record.fields)
                .any(|(h, f)| h.any_within(*a, &(0..f.value.len()))),
            Cond::All(c) => c.iter().all(|c| self.holds(c)),
            Cond::Any(c) => c.iter().any(|c| self.holds(c)),
            Cond::Not(c) => !self.holds(c),
            Cond::AtLeast(n, c) => c.iter().filter(|c| self.holds(c)).count() >= *n,
            Cond::Scoped(_, c) => self.holds(c),
            Cond::Field(sel, test) => self
                .selected(sel)
                .any(|i| self.test_field(test, i).is_some()),
            Cond::Quantity(q) => self.record.fields.iter().any(|f| {
                quantities(&f.value)
                    .iter()
                    .any(|x| q.accepts(x.value, x.unit).is_some())
            }),
        }
    }

    fn gather(&self, c: &Cond, out: &mut Vec<FieldMatch>) {
        match c {
            Cond::Atom(a) => {
                for (i, (h, f)) in self.hits.iter().zip(&self.record.fields).enumerate() {
                    if let Some(h) = h.within(*a, &(0..f.value.len())).first() {
                        out.push(FieldMatch {
                            field: i,
                            start: h.start,
                            end: h.end,
                            label: self.set.matcher().atom_name(*a).to_owned(),
                            quantity: None,
                        });
                    }
                }
            }
            Cond::All(c) => c.iter().for_each(|c| self.gather(c, out)),
            Cond::Any(c) | Cond::AtLeast(_, c) => c
                .iter()
                .filter(|c| self.holds(c))
                .for_each(|c| self.gather(c, out)),
            Cond::Not(_) => {}
            Cond::Scoped(_, c) => self.gather(c, out),
            Cond::Field(sel, test) => {
                if let Some(m) = self.selected(sel).find_map(|i| self.test_field(test, i)) {
                    out.push(m);
                }
            }
            Cond::Quantity(q) => {
                for (i, f) in self.record.fields.iter().enumerate() {
                    if let Some((x, v)) = quantities(&f.value)
                        .into_iter()
                        .find_map(|x| q.accepts(x.value, x.unit).map(|v| (x, v)))
                    {
                        out.push(FieldMatch {
                            field: i,
                            start: x.span.start,
                            end: x.span.end,
                            label: "quantity".into(),
                            quantity: Some(FoundQuantity {
                                value: (v * 100.0).round() / 100.0,
                                unit: q.unit.name().to_owned(),
                                text: f.value[x.span.clone()].to_owned(),
                            }),
                        });
                        return;
                    }
                }
            }
        }
    }

    fn finding(&self, rule: &CompiledRule) -> Option<Finding> {
        if !self.holds(&rule.cond) || rule.unless.as_ref().is_some_and(|u| self.holds(u)) {
            return None;
        }
        let mut matches = Vec::new();
        self.gather(&rule.cond, &mut matches);
        let first = matches.first()?;
        let fields = &self.record.fields;
        let (confidence, notes) = rule.downgrade(1.0, |c| self.holds(c));
        let evidence: Vec<Evidence> = matches
            .iter()
            .map(|m| Evidence {
                text: fields[m.field].value[m.start..m.end].to_owned(),
                list: m.label.clone(),
                field: Some(fields[m.field].path.clone()),
                start: m.start,
                end: m.end,
            })
            .collect();
        let info = &rule.info;
        Some(Finding {
            rule: info.id.clone(),
            title: info.title.clone(),
            category: info.category.clone(),
            severity: info.severity,
            citations: info.citations.clone(),
            effective: info.effective.clone(),
            start: first.start,
            end: first.end,
            line: self.record.line,
            column: 1,
            excerpt: summary(self.record, &matches),
            excerpt_start: 0,
            evidence,
            proximity: "record".into(),
            confidence,
            notes,
            party: None,
            record: Some(self.record.number),
            field: Some(fields[first.field].path.clone()),
            quantity: matches.iter().find_map(|m| m.quantity.clone()),
            fingerprint: String::new(),
        })
    }
}

/// `path: value` of each matched field, in field order, on one line.
fn summary(record: &Record, matches: &[FieldMatch]) -> String {
    let mut idx: Vec<usize> = matches.iter().map(|m| m.field).collect();
    idx.sort_unstable();
    idx.dedup();
    idx.iter()
        .map(|&i| {
            let f = &record.fields[i];
            let v: String = f.value.split_whitespace().collect::<Vec<_>>().join(" ");
            let v: String = v.chars().take(160).collect();
            format!("{}: {v}", f.path)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Scans records: text rules on every field's value (findings point into
/// the field), record rules on each record.
pub(crate) fn scan_records(set: &RuleSet, records: &Records, map: &FieldMap) -> Vec<Finding> {
    let mut out = Vec::new();
    for record in &records.records {
        let hits: Vec<Hits> = record
            .fields
            .iter()
            .map(|f| Hits::find(set, &f.value))
            .collect();
        let mut found = Vec::new();
        for (i, f) in record.fields.iter().enumerate() {
            for mut finding in scan_with_hits(set, &f.value, &hits[i], None) {
                finding.record = Some(record.number);
                finding.field = Some(f.path.clone());
                finding.line = record.line;
                for e in &mut finding.evidence {
                    e.field = Some(f.path.clone());
                }
                found.push(finding);
            }
        }
        let eval = RecordEval {
            set,
            record,
            roles: record.fields.iter().map(|f| map.role_of(&f.path)).collect(),
            keys: record.fields.iter().map(|f| key(&f.path)).collect(),
            hits,
        };
        found.extend(set.record_rules().filter_map(|r| eval.finding(r)));
        out.extend(found);
    }
    assign_fingerprints(&mut out);
    out
}
