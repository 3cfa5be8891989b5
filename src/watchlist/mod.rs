//! Designated parties: lists of sanctioned persons, entities and vessels, and
//! the name variants that find them in text.
//!
//! A watchlist is part of a rule file (`watchlist:` key), so a pack ships its
//! list as data beside its rules and a custom pack can screen against its own
//! list. `sanctions-check lists import` turns the UN Consolidated List XML
//! into that form ([`un_xml`]); simple YAML or CSV lists are read by
//! [`simple`]. [`variants`] derives the spellings each name is matched in.

pub mod simple;
pub mod un_xml;
pub mod variants;

pub use un_xml::ListError;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Citation, Severity};

/// A list of designated parties, as written in a rule file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchlistDef {
    /// Short name of the list, e.g. `UN 1718 list (DPRK)`.
    pub name: String,
    /// Where the data comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When the source list was generated (`YYYY-MM-DD` or a full timestamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// Category of the findings (default `designated_parties`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Severity of the findings (default `high`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Legal basis of the listing (asset freeze, travel ban ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// Id prefix of the rules made from this list (default `watchlist`);
    /// each party's rule id is `PREFIX.REFERENCE` (lower-case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_prefix: Option<String>,
    /// Terms that give a short or generic alias the context it needs: a
    /// name list of the pack (e.g. `dprk`), looked for in the same sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_list: Option<String>,
    /// The listed parties.
    #[serde(default)]
    pub parties: Vec<Party>,
}

/// Kind of listed party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    /// A person.
    Individual,
    /// A company, bank, agency or group.
    Entity,
    /// A ship (matched by name and IMO number).
    Vessel,
}

/// How reliable an alias is, as the list says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// A good-quality alias.
    Good,
    /// A low-quality alias: matched at lower confidence.
    Low,
}

/// An alias of a party.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The alias as the list writes it.
    pub name: String,
    /// Its quality.
    pub quality: Quality,
}

/// One listed person, entity or vessel: facts only.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Permanent reference, e.g. `KPe.001`.
    pub reference: String,
    /// Individual, entity or vessel.
    #[serde(rename = "type")]
    pub kind: PartyKind,
    /// Primary name as the list writes it.
    pub name: String,
    /// Name parts in list order (for individuals: FIRST_NAME, SECOND_NAME,
    /// ...; for Korean names the first part is the family name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_parts: Vec<String>,
    /// Aliases with their quality.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// Date of listing (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<String>,
    /// Nationality, as the list writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// For vessels: the seven-digit IMO ship number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imo: Option<String>,
}
