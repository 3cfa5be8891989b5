//! `rules/schema.json` is generated from the serde types and kept in sync.
//! Regenerate it with `UPDATE_SCHEMA=1 cargo test --test schema`.

#[test]
fn schema_file_matches_the_rule_types() {
    let generated = sanctions_check::rule_file_schema();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "rules/schema.json is stale: run `UPDATE_SCHEMA=1 cargo test --test schema`"
    );
}

#[test]
fn schema_describes_the_main_keys() {
    let v: serde_json::Value = serde_json::from_str(&sanctions_check::rule_file_schema()).unwrap();
    let text = v.to_string();
    for key in [
        "lists",
        "rules",
        "severity",
        "citations",
        "at_least",
        "unless",
        "downgrade",
        "examples",
        "watchlist",
    ] {
        assert!(text.contains(&format!("\"{key}\"")), "schema lacks {key}");
    }
}
