//! Quantities with units: parsing, conversion, and extraction from prose.
//!
//! Conversions are those that are well defined: barrels, cubic metres,
//! litres and kilolitres among themselves; tonnes, kilograms and pounds
//! among themselves. Mass and volume convert into each other only with a
//! factor the rule gives (`per_tonne`, barrels per tonne), because it depends
//! on the product.

use std::sync::OnceLock;

use regex::Regex;

/// A unit of quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Barrels (42 US gallons, 0.158987294928 m³).
    Barrels,
    /// Cubic metres.
    CubicMetres,
    /// Litres.
    Litres,
    /// Metric tonnes.
    Tonnes,
    /// Kilograms.
    Kilograms,
    /// Pounds.
    Pounds,
}

/// Cubic metres in one barrel.
pub const CUBIC_METRES_PER_BARREL: f64 = 0.158_987_294_928;

impl Unit {
    /// Parses a unit as trade documents write it (`bbl`, `barrels`, `MT`,
    /// `metric tons`, `m3`, `kg`, `KL` ...).
    pub fn parse(s: &str) -> Option<Unit> {
        let k: String = s
            .trim()
            .trim_end_matches('.')
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Some(match k.as_str() {
            "bbl" | "bbls" | "barrel" | "barrels" | "bl" | "barriles" | "barils" | "bll" => {
                Unit::Barrels
            }
            // UN/ECE Recommendation 20 codes used in customs data.
            "tne" => Unit::Tonnes,
            "kgm" => Unit::Kilograms,
            "ltr" => Unit::Litres,
            "mtq" => Unit::CubicMetres,
            "m3" | "m³" | "cbm" | "cubicmetre" | "cubicmetres" | "cubicmeter" | "cubicmeters"
            | "kl" | "kilolitre" | "kilolitres" | "kiloliter" | "kiloliters" => Unit::CubicMetres,
            "l" | "litre" | "litres" | "liter" | "liters" | "litros" => Unit::Litres,
            "t" | "mt" | "tonne" | "tonnes" | "ton" | "tons" | "metricton" | "metrictons"
            | "metrictonne" | "metrictonnes" | "toneladas" | "tm" => Unit::Tonnes,
            "kg" | "kgs" | "kilogram" | "kilograms" | "kilogramme" | "kilogrammes" | "kilos" => {
                Unit::Kilograms
            }
            "lb" | "lbs" | "pound" | "pounds" => Unit::Pounds,
            _ => return None,
        })
    }

    fn volume_m3(self) -> Option<f64> {
        match self {
            Unit::Barrels => Some(CUBIC_METRES_PER_BARREL),
            Unit::CubicMetres => Some(1.0),
            Unit::Litres => Some(0.001),
            _ => None,
        }
    }

    fn mass_t(self) -> Option<f64> {
        match self {
            Unit::Tonnes => Some(1.0),
            Unit::Kilograms => Some(0.001),
            Unit::Pounds => Some(0.000_453_592_37),
            _ => None,
        }
    }

    /// The unit's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Barrels => "barrels",
            Unit::CubicMetres => "cubic metres",
            Unit::Litres => "litres",
            Unit::Tonnes => "tonnes",
            Unit::Kilograms => "kilograms",
            Unit::Pounds => "pounds",
        }
    }
}

/// Converts `value` in `from` to `to`; `per_tonne` (barrels per tonne) lets
/// mass and volume convert. `None` when the conversion is not defined.
///
/// ```
/// use sanctions_check::records::quantity::{convert, Unit};
/// assert_eq!(convert(2.0, Unit::Tonnes, Unit::Kilograms, None), Some(2000.0));
/// let bbl = convert(1000.0, Unit::Tonnes, Unit::Barrels, Some(7.33)).unwrap();
/// assert!((bbl - 7330.0).abs() < 1e-6);
/// assert_eq!(convert(1.0, Unit::Tonnes, Unit::Barrels, None), None);
/// ```
pub fn convert(value: f64, from: Unit, to: Unit, per_tonne: Option<f64>) -> Option<f64> {
    if from == to {
        return Some(value);
    }
    if let (Some(a), Some(b)) = (from.volume_m3(), to.volume_m3()) {
        return Some(value * a / b);
    }
    if let (Some(a), Some(b)) = (from.mass_t(), to.mass_t()) {
        return Some(value * a / b);
    }
    let k = per_tonne?;
    let barrel_m3 = Unit::Barrels.volume_m3()?;
    if let (Some(m), Some(v)) = (from.mass_t(), to.volume_m3()) {
        return Some(value * m * k * barrel_m3 / v);
    }
    if let (Some(v), Some(m)) = (from.volume_m3(), to.mass_t()) {
        return Some(value * v / barrel_m3 / k / m);
    }
    None
}

/// Parses a number as written in trade documents: `12,000`, `12 000`,
/// `1.5`, `600000`. Commas are thousands separators.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{00A0}' | '\u{202F}' | '_'))
        .collect();
    if t.is_empty() || t.len() > 30 {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A quantity found in text or a field.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Byte range of the quantity in the text it was found in.
    pub span: std::ops::Range<usize>,
}

fn quantity_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(\d{1,3}(?:[,\u{00A0}\u{202F} ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(million\s+|thousand\s+|m\s+)?(metric\s+tonnes|metric\s+tons|tonnes|tons|toneladas|tonne|ton|mt|t|barrels|barriles|barils|barrel|bbls|bbl|kilolitres|kiloliters|kl|cubic\s+metres|cubic\s+meters|m3|m³|litres|liters|kilograms|kgs|kg)\b",
        )
        .expect("valid quantity regex")
    })
}

/// Every quantity written in `text` ("12,000 tonnes", "600,000 barrels",
/// "1.2 million barrels", "3 000 MT").
///
/// ```
/// use sanctions_check::records::quantity::{quantities, Unit};
/// let q = quantities("about 1.2 million barrels of diesel and 3,000 MT of coal");
/// assert_eq!((q[0].value, q[0].unit), (1_200_000.0, Unit::Barrels));
/// assert_eq!((q[1].value, q[1].unit), (3_000.0, Unit::Tonnes));
/// ```
pub fn quantities(text: &str) -> Vec<Quantity> {
    quantity_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let mut value = parse_number(c.get(1)?.as_str())?;
            match c.get(2).map(|m| m.as_str().trim().to_lowercase()) {
                Some(m) if m == "million" || m == "m" => value *= 1_000_000.0,
                Some(m) if m == "thousand" => value *= 1_000.0,
                _ => {}
            }
            let unit = Unit::parse(c.get(3)?.as_str())?;
            Some(Quantity {
                value,
                unit,
                span: whole.start()..whole.end(),
            })
        })
        .collect()
}

/// A quantity in a field value: a number with an optional unit after it
/// (`12000`, `12,000 MT`, `600000 bbl`).
pub fn field_quantity(value: &str) -> Option<(f64, Option<Unit>)> {
    let v = value.trim();
    let split = v
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(v.len(), |(i, _)| i);
    let number = parse_number(&v[..split])?;
    let unit = v[split..].trim();
    if unit.is_empty() {
        Some((number, None))
    } else {
        Some((number, Some(Unit::parse(unit)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse_in_trade_spellings() {
        assert_eq!(Unit::parse("BBL"), Some(Unit::Barrels));
        assert_eq!(Unit::parse("metric tons"), Some(Unit::Tonnes));
        assert_eq!(Unit::parse("KL"), Some(Unit::CubicMetres));
        assert_eq!(Unit::parse("pieces"), None);
    }

    #[test]
    fn quantities_in_prose() {
        let q = quantities("It carried 12,000 tonnes of diesel and 600,000 barrels.");
        assert_eq!(q.len(), 2);
        assert_eq!((q[0].value, q[0].unit), (12_000.0, Unit::Tonnes));
        assert_eq!((q[1].value, q[1].unit), (600_000.0, Unit::Barrels));
        assert!(quantities("in 2017 the tanker").is_empty());
    }

    #[test]
    fn field_values() {
        assert_eq!(field_quantity("12,000"), Some((12_000.0, None)));
        assert_eq!(
            field_quantity("600000 bbl"),
            Some((600_000.0, Some(Unit::Barrels)))
        );
        assert_eq!(field_quantity("n/a"), None);
        assert_eq!(field_quantity("5 crates"), None);
    }

    #[test]
    fn conversions() {
        let m3 = convert(1.0, Unit::Barrels, Unit::CubicMetres, None).unwrap();
        assert!((m3 - CUBIC_METRES_PER_BARREL).abs() < 1e-12);
        assert_eq!(convert(1.0, Unit::Barrels, Unit::Tonnes, None), None);
        let t = convert(7330.0, Unit::Barrels, Unit::Tonnes, Some(7.33)).unwrap();
        assert!((t - 1000.0).abs() < 1e-9);
    }
}
