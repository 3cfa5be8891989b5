//! The bundled UN DPRK rule pack, compiled into the crate from
//! `rules/un-dprk/*.yaml`.

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
