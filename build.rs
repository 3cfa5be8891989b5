//! Embeds the bundled rule pack (`rules/un-dprk/*.yaml`) in the crate.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("rules/un-dprk");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(
        "/// The bundled pack: (path, text) of each rule file.\npub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed=rules/un-dprk/{f}");
        code.push_str(&format!(
            "    (\"rules/un-dprk/{f}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/un-dprk/{f}\"))),\n"
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin.rs");
    fs::write(out, code).expect("write builtin.rs");
}
