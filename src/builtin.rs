//! The bundled UN DPRK rule pack, compiled into the crate from
//! `rules/un-dprk/*.yaml`.

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The file of the pack that holds the UN 1718 list of designated parties.
pub(crate) const DESIGNATED_FILE: &str = "designated.yaml";
