//! The rule file format, as serde types that mirror the YAML.
//!
//! These types are what a rule file *says*; the compiler (`src/compile/`) turns them into
//! what the engine *runs*. Positions of values are kept ([`Spanned`]) so that
//! every validation error can point at the offending line and column. The
//! reference for users is `rules/README.md`; `rules/schema.json` is generated
//! from these types.

use std::collections::HashMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A value with the position where it was written in its rule file.
pub type Spanned<T> = serde_saphyr::Spanned<T>;

/// One YAML rule file: shared term lists and rules, both optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sanctions-check rule file")]
pub struct RuleFile {
    /// Named term lists. Every rule of every loaded file can refer to them by name.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, TermListDef>")]
    pub lists: HashMap<Spanned<String>, TermListDef>,
    /// The rules of this file.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// A list of designated parties to screen names against (see
    /// `sanctions-check lists import`).
    #[serde(default)]
    pub watchlist: Option<crate::watchlist::WatchlistDef>,
}

/// A named list of terms and patterns.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermListDef {
    /// What the list holds, for readers of the rule file.
    #[serde(default)]
    pub description: Option<String>,
    /// Literal terms: whole words, case- and diacritic-insensitive; a trailing
    /// `*` allows inflections (`North Korea*`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub terms: Vec<Spanned<String>>,
    /// Regular expressions (Rust `regex` syntax), case-insensitive, matched on
    /// the original text.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub regex: Vec<Spanned<String>>,
}

/// How serious a finding of a rule is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information only.
    Info,
    /// Worth a look.
    Low,
    /// Likely relevant.
    Medium,
    /// Likely a prohibited dealing.
    High,
    /// A clear, serious breach.
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lower-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity `{s}` (use info, low, medium, high or critical)")
            })
    }
}

/// The legal basis a rule models.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The instrument, e.g. `UNSCR 2397 (2017)`.
    pub instrument: String,
    /// The operative paragraph, e.g. `5` or `8(a)(iii)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// Whether the paragraph number has been checked against the text of the
    /// instrument. Unverified numbers are never presented as settled.
    #[serde(default)]
    pub verified: bool,
    /// Where to read the instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl fmt::Display for Citation {
    /// `UNSCR 2397 (2017), paragraph 5`, or for an unverified number
    /// `UNSCR 2375 (2017), paragraph number unverified (recalled: 14)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.paragraph, self.verified) {
            (Some(p), true) => write!(f, "{}, paragraph {p}", self.instrument),
            (Some(p), false) => write!(
                f,
                "{}, paragraph number unverified (recalled: {p})",
                self.instrument
            ),
            (None, _) => f.write_str(&self.instrument),
        }
    }
}

/// One rule, as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable dotted identifier, unique across all loaded files
    /// (`un-dprk.petroleum.refined-supply`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer reads first.
    pub title: String,
    /// Category (free text; the bundled pack uses a fixed set).
    #[schemars(with = "String")]
    pub category: Spanned<String>,
    /// info, low, medium, high or critical.
    pub severity: Severity,
    /// What is prohibited, in which direction, and what the rule looks for.
    #[serde(default)]
    pub description: String,
    /// The legal basis.
    #[serde(default)]
    pub citations: Vec<Citation>,
    /// Date the measure took effect (`YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub effective: Option<Spanned<String>>,
    /// Further reading (URLs).
    #[serde(default)]
    pub references: Vec<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the conditions must co-occur: `sentence` (default), `paragraph`,
    /// `document`, or `N words`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scope: Option<Spanned<String>>,
    /// The condition that makes the rule fire.
    #[serde(rename = "match")]
    #[schemars(with = "ConditionDef")]
    pub matches: Spanned<ConditionDef>,
    /// A condition that cancels a match in the same scope unit.
    #[serde(default)]
    #[schemars(with = "Option<ConditionDef>")]
    pub unless: Option<Spanned<ConditionDef>>,
    /// Conditions that lower the confidence of a match and add a note to it.
    #[serde(default)]
    pub downgrade: Vec<DowngradeDef>,
    /// Texts that must and must not be flagged: the rule's own tests.
    #[serde(default)]
    pub examples: ExamplesDef,
}

/// A condition that weakens a finding rather than cancelling it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DowngradeDef {
    /// When this holds in the finding's scope unit, the finding is weakened.
    #[schemars(with = "ConditionDef")]
    pub when: Spanned<ConditionDef>,
    /// What the reviewer is told, e.g. "mentions a 1718 Committee exemption".
    pub note: String,
    /// Factor applied to the confidence (default 0.5).
    #[serde(default)]
    pub factor: Option<f64>,
}

/// A rule's own tests.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplesDef {
    /// Texts the rule must flag.
    #[serde(default, rename = "match")]
    #[schemars(with = "Vec<String>")]
    pub should_match: Vec<Spanned<String>>,
    /// Texts the rule must not flag.
    #[serde(default, rename = "no_match")]
    #[schemars(with = "Vec<String>")]
    pub should_not_match: Vec<Spanned<String>>,
}

/// A condition. Exactly one of `list`, `terms`, `regex`, `all`, `any`,
/// `none`, `not` or `at_least` (with `of`) is given; `scope` may be added to
/// any of them.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    /// True where a term or pattern of the named list matches.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub list: Option<Spanned<String>>,
    /// True where one of these literal terms matches.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub terms: Option<Vec<Spanned<String>>>,
    /// True where this regular expression matches.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    /// True where every sub-condition holds.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ConditionDef>>")]
    pub all: Option<Vec<Spanned<ConditionDef>>>,
    /// True where at least one sub-condition holds.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ConditionDef>>")]
    pub any: Option<Vec<Spanned<ConditionDef>>>,
    /// True where no sub-condition holds.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ConditionDef>>")]
    pub none: Option<Vec<Spanned<ConditionDef>>>,
    /// True where the sub-condition does not hold.
    #[serde(default)]
    #[schemars(with = "Option<Box<ConditionDef>>")]
    pub not: Option<Box<Spanned<ConditionDef>>>,
    /// True where at least this many of `of` hold.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub at_least: Option<Spanned<u32>>,
    /// The sub-conditions counted by `at_least`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ConditionDef>>")]
    pub of: Option<Vec<Spanned<ConditionDef>>>,
    /// For records: the field (a role such as `hs_code` or
    /// `destination_country`, or a dotted path such as `consignee.country`)
    /// whose value the condition (`terms`, `list`, `regex`, `country`,
    /// `hs_code` or `quantity`) tests.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub field: Option<Spanned<String>>,
    /// With `field`: true when the value is one of these country codes
    /// (`KP`, `PRK`), compared case-insensitively.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub country: Option<Vec<Spanned<String>>>,
    /// With `field`: true when the value is a Harmonized System code starting
    /// with one of these chapters, headings or ranges (`03`, `2710`, `50-63`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub hs_code: Option<Vec<Spanned<String>>>,
    /// A quantity: in a field (with `field`), or written in the text of the
    /// scope unit ("12,000 tonnes"), within bounds after conversion.
    #[serde(default)]
    #[schemars(with = "Option<QuantityDef>")]
    pub quantity: Option<Spanned<QuantityDef>>,
    /// Evaluate this condition over a different scope than the rule's:
    /// `sentence`, `paragraph`, `document` or `N words`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub scope: Option<Spanned<String>>,
}

/// A quantity test: bounds in a unit, after conversion.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityDef {
    /// The unit the bounds are in, and findings report: barrels, cubic
    /// metres, litres, tonnes, kilograms, pounds.
    pub unit: String,
    /// True only above this figure.
    #[serde(default)]
    pub above: Option<f64>,
    /// True only below this figure.
    #[serde(default)]
    pub below: Option<f64>,
    /// Barrels per tonne, to convert between mass and volume (depends on
    /// the product; say where the figure comes from in the rule's
    /// description).
    #[serde(default)]
    pub per_tonne: Option<f64>,
}
