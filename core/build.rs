//! Compiles the drill catalog at build time: parses `catalog/drills.json`, validates it with
//! the same rules the library exports (a broken catalog fails the build and lists every
//! problem), and writes it as postcard bytes that the library decodes without any JSON
//! parsing (`Catalog::embedded`).

use std::path::PathBuf;

#[allow(dead_code)]
mod catalog {
    #[path = "../src/catalog/model.rs"]
    pub mod model;
    #[path = "../src/catalog/validate.rs"]
    pub mod validate;
}

fn main() {
    for input in [
        "catalog/drills.json",
        "src/catalog/model.rs",
        "src/catalog/validate.rs",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    let json = std::fs::read_to_string("catalog/drills.json").expect("read catalog/drills.json");
    let file: catalog::model::CatalogFile =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("catalog/drills.json: {e}"));
    let problems = catalog::validate::validate(&file);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("{p:?}")).collect();
        panic!("catalog/drills.json is invalid:\n{}", list.join("\n"));
    }
    let bytes = postcard::to_allocvec(&file).expect("encode catalog");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("catalog.postcard");
    std::fs::write(out, bytes).expect("write catalog.postcard");
}
