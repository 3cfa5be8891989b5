//! Field roles: what a column or key *means*, whatever an export calls it.
//!
//! Rules name roles (`destination_country`, `hs_code` ...) rather than
//! column names; common header spellings map to roles out of the box, and a
//! user adds or moves spellings with a small YAML file (`--fields map.yaml`):
//!
//! ```yaml
//! roles:
//!   hs_code: [tariff_no, "Commodity Code"]
//!   destination_country: [buyer_country]
//! ```
//!
//! Headers and paths are compared by their letters and digits only,
//! case-insensitively: `HS Code`, `hs_code`, `HS-CODE` and `hscode` are one
//! spelling. A nested key is tried by its full dotted path first
//! (`beneficiary.country`), then by its last segment (`country` is not a
//! role by itself, on purpose: it is ambiguous).

use std::collections::BTreeMap;

use serde::Deserialize;

/// The meaning of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Country the goods or funds come from.
    OriginCountry,
    /// Country the goods or funds go to.
    DestinationCountry,
    /// Harmonized System code.
    HsCode,
    /// Description of the goods.
    Description,
    /// Quantity (a number, possibly with its unit).
    Quantity,
    /// Unit of the quantity.
    Unit,
    /// Vessel name.
    Vessel,
    /// Vessel IMO number.
    Imo,
    /// A party: shipper, consignee, notify party, ordering customer, beneficiary.
    Party,
    /// Free-text remarks or payment details.
    Remarks,
}

/// Every role with its rule-file name and its built-in spellings.
pub const BUILTIN: &[(Role, &str, &[&str])] = &[
    (
        Role::OriginCountry,
        "origin_country",
        &[
            "origin_country",
            "country of origin",
            "origin",
            "country_origin",
            "exporter_country",
            "shipper_country",
            "seller_country",
            "ordering_customer.country",
            "originator_country",
            "payer_country",
            "port_of_loading_country",
            "from_country",
            "consignor_country",
        ],
    ),
    (
        Role::DestinationCountry,
        "destination_country",
        &[
            "destination_country",
            "destination",
            "country of destination",
            "importer_country",
            "consignee_country",
            "consignee.country",
            "beneficiary.country",
            "beneficiary_country",
            "buyer_country",
            "notify_party_country",
            "notify_party.country",
            "to_country",
            "port_of_discharge_country",
            "final_destination",
        ],
    ),
    (
        Role::HsCode,
        "hs_code",
        &[
            "hs_code",
            "hs code",
            "hscode",
            "hs",
            "commodity_code",
            "tariff code",
            "tariff_code",
            "hts_code",
            "hts",
            "cn_code",
            "customs_code",
            "tariff_number",
        ],
    ),
    (
        Role::Description,
        "description",
        &[
            "description",
            "goods_description",
            "description of goods",
            "goods",
            "commodity",
            "cargo",
            "cargo_description",
            "product",
            "item_description",
        ],
    ),
    (
        Role::Quantity,
        "quantity",
        &[
            "quantity",
            "qty",
            "net_weight",
            "weight",
            "volume",
            "amount_of_goods",
            "quantity_value",
        ],
    ),
    (
        Role::Unit,
        "unit",
        &["unit", "uom", "unit_of_measure", "quantity_unit", "units"],
    ),
    (
        Role::Vessel,
        "vessel",
        &[
            "vessel",
            "vessel_name",
            "ship",
            "ship_name",
            "carrier_vessel",
            "vessel.name",
        ],
    ),
    (
        Role::Imo,
        "imo",
        &["imo", "imo_number", "imo_no", "vessel_imo", "vessel.imo"],
    ),
    (
        Role::Party,
        "party",
        &[
            "party",
            "consignee",
            "consignee.name",
            "shipper",
            "shipper.name",
            "notify_party",
            "notify_party.name",
            "beneficiary",
            "beneficiary.name",
            "ordering_customer",
            "ordering_customer.name",
            "buyer",
            "seller",
            "importer",
            "exporter",
            "debtor",
            "creditor",
            "counterparty",
        ],
    ),
    (
        Role::Remarks,
        "remarks",
        &[
            "remarks",
            "remark",
            "notes",
            "note",
            "comments",
            "details",
            "remittance_information",
            "payment_details",
            "narrative",
            "purpose",
            "free_text",
            "additional_information",
        ],
    ),
];

impl Role {
    /// Parses a role's rule-file name (`hs_code`).
    pub fn parse(name: &str) -> Option<Role> {
        BUILTIN
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(r, _, _)| *r)
    }

    /// The role's rule-file name.
    pub fn name(self) -> &'static str {
        BUILTIN
            .iter()
            .find(|(r, _, _)| *r == self)
            .map_or("?", |(_, n, _)| n)
    }
}

/// A header or path reduced to its letters and digits, lower-cased.
pub fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which spellings mean which role.
#[derive(Clone, Debug)]
pub struct FieldMap {
    by_key: BTreeMap<String, Role>,
}

impl Default for FieldMap {
    fn default() -> Self {
        let mut by_key = BTreeMap::new();
        for (role, _, spellings) in BUILTIN {
            for s in *spellings {
                by_key.insert(key(s), *role);
            }
        }
        FieldMap { by_key }
    }
}

/// A field-mapping file: `roles: {ROLE: [spelling, ...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    roles: BTreeMap<String, Vec<String>>,
}

impl FieldMap {
    /// The role of a field path (full path first, then last segment).
    pub fn role_of(&self, path: &str) -> Option<Role> {
        self.by_key.get(&key(path)).copied().or_else(|| {
            let last = path.rsplit('.').next()?;
            self.by_key.get(&key(last)).copied()
        })
    }

    /// Adds the spellings of a mapping file (YAML), moving a spelling that
    /// was another role's to the role the file gives.
    pub fn with_overrides(mut self, file: &std::path::Path, yaml: &str) -> Result<Self, String> {
        let map: MapFile = crate::yaml::parse(file, yaml).map_err(|d| d.to_string())?;
        for (role, spellings) in map.roles {
            let r = Role::parse(&role).ok_or_else(|| {
                let names: Vec<&str> = BUILTIN.iter().map(|(_, n, _)| *n).collect();
                format!(
                    "{}: unknown role `{role}` (roles: {})",
                    file.display(),
                    names.join(", ")
                )
            })?;
            for s in spellings {
                self.by_key.insert(key(&s), r);
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_spellings_map_to_roles() {
        let m = FieldMap::default();
        for h in [
            "hs_code",
            "HS Code",
            "hscode",
            "commodity_code",
            "Tariff Code",
        ] {
            assert_eq!(m.role_of(h), Some(Role::HsCode), "{h}");
        }
        for h in ["origin_country", "Country of Origin", "exporter_country"] {
            assert_eq!(m.role_of(h), Some(Role::OriginCountry), "{h}");
        }
        for h in [
            "destination_country",
            "Destination Country",
            "consignee_country",
            "beneficiary.country",
        ] {
            assert_eq!(m.role_of(h), Some(Role::DestinationCountry), "{h}");
        }
        assert_eq!(m.role_of("shipment.hs_code"), Some(Role::HsCode));
        assert_eq!(m.role_of("country"), None);
    }

    #[test]
    fn overrides_add_and_move_spellings() {
        let m = FieldMap::default()
            .with_overrides(
                std::path::Path::new("map.yaml"),
                "roles:\n  hs_code: [Tariff No]\n  remarks: [goods]\n",
            )
            .unwrap();
        assert_eq!(m.role_of("tariff_no"), Some(Role::HsCode));
        assert_eq!(m.role_of("Goods"), Some(Role::Remarks));
        let bad = FieldMap::default()
            .with_overrides(std::path::Path::new("m.yaml"), "roles:\n  colour: [x]\n");
        assert!(bad.unwrap_err().contains("unknown role `colour`"));
    }
}
