//! Simple watchlists (YAML or CSV: name, aliases, reference, type).
