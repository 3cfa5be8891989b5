//! `sanctions-check lists import`: lists of designated parties as rule files.

use std::io::{self, Write};
use std::path::Path;

use sanctions_check::watchlist::WatchlistDef;
use sanctions_check::watchlist::simple::{parse_simple_csv, parse_simple_yaml, to_rule_yaml};
use sanctions_check::watchlist::un_xml::parse_un_xml;
use sanctions_check::{Citation, Severity};

use super::args::{ImportArgs, ListsCommand};
use super::{EXIT_CLEAN, EXIT_ERROR};

pub fn run(cmd: ListsCommand) -> io::Result<u8> {
    match cmd {
        ListsCommand::Import(a) => import(a),
    }
}

/// Reads a list file by its extension: UN XML, or a simple YAML or CSV list.
pub fn read_list(path: &Path, regime: Option<&str>) -> Result<WatchlistDef, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let parsed = match ext.as_str() {
        "xml" => parse_un_xml(&text, regime),
        "csv" => parse_simple_csv(&text),
        "yaml" | "yml" => parse_simple_yaml(&text),
        _ => {
            return Err(format!(
                "{}: unknown list format (use .xml for the UN list, .yaml or .csv for simple lists)",
                path.display()
            ));
        }
    };
    parsed.map_err(|e| format!("{}: {e}", path.display()))
}

/// The settings of the bundled UN DPRK pack.
pub fn un_dprk_settings(list: &mut WatchlistDef) {
    list.id_prefix = Some("un-dprk.designated_parties".into());
    list.context_list = Some("dprk".into());
    list.category = Some("designated_parties".into());
    list.severity = Some(Severity::High);
    list.citations = vec![
        Citation {
            instrument: "UNSCR 1718 (2006)".into(),
            paragraph: Some("8(d)".into()),
            verified: true,
            url: Some("https://main.un.org/securitycouncil/en/sanctions/1718".into()),
        },
        Citation {
            instrument: "UNSCR 1718 (2006)".into(),
            paragraph: Some("8(e)".into()),
            verified: true,
            url: None,
        },
    ];
}

fn import(a: ImportArgs) -> io::Result<u8> {
    let mut list = match read_list(&a.file, a.regime.as_deref()) {
        Ok(l) => l,
        Err(msg) => {
            writeln!(io::stderr(), "sanctions-check: {msg}")?;
            return Ok(EXIT_ERROR);
        }
    };
    if a.un_dprk {
        un_dprk_settings(&mut list);
    }
    if let Some(p) = a.id_prefix {
        list.id_prefix = Some(p);
    }
    if let Some(c) = a.context_list {
        list.context_list = Some(c);
    }
    let yaml = to_rule_yaml(&list);
    match &a.output {
        Some(p) => std::fs::write(p, &yaml)?,
        None => io::stdout().write_all(yaml.as_bytes())?,
    }
    writeln!(
        io::stderr(),
        "sanctions-check: {} parties from {}{}",
        list.parties.len(),
        a.file.display(),
        list.generated
            .as_ref()
            .map(|g| format!(" (generated {g})"))
            .unwrap_or_default()
    )?;
    Ok(EXIT_CLEAN)
}
