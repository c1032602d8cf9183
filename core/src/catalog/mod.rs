//! The drill catalog: data embedded in the binary (`core/catalog/drills.json`), and queried
//! by id, target, equipment and progression chain. The shipped catalog is parsed and
//! validated at build time (`core/build.rs`) and embedded as postcard bytes, decoded once
//! per process on first use; `from_json` parses and validates any other catalog file.

pub mod clips;
mod model;
mod query;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

pub use model::*;
pub use validate::{limits, validate, CatalogProblem};

/// The catalog shipped with the app.
pub const EMBEDDED_CATALOG_JSON: &str = include_str!("../../catalog/drills.json");

/// The same catalog, validated and encoded by `build.rs`.
static EMBEDDED_CATALOG_BYTES: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));

/// Errors from loading or querying the catalog.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid JSON of the catalog's shape.
    #[error("catalog cannot be parsed: {0}")]
    Parse(String),
    /// The file parsed but breaks one or more rules; every problem is listed.
    #[error("catalog is invalid: {} problem(s): {}", .0.len(), CatalogProblem::join(.0))]
    Invalid(Vec<CatalogProblem>),
    /// No drill (or assessment) has this id.
    #[error("unknown drill id {0:?}")]
    UnknownDrill(String),
    /// No progression chain has this name.
    #[error("unknown chain {0:?}")]
    UnknownChain(String),
}

/// A validated catalog with indexes for the queries the app needs. Cloning shares it.
#[derive(Debug, Clone)]
pub struct Catalog {
    file: Arc<CatalogFile>,
    by_id: Arc<HashMap<String, usize>>,
    /// Every chain by name, drill ids easiest first ([`Catalog::chain_ids`]), worked out
    /// once: the rules walk them on every plan.
    chains: Arc<BTreeMap<String, Vec<String>>>,
}

impl Catalog {
    /// The catalog embedded in the binary, decoded on the first call and shared after.
    /// Validated by `build.rs`, so this only fails if the embedded bytes were damaged.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        static EMBEDDED: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let file: CatalogFile = postcard::from_bytes(EMBEDDED_CATALOG_BYTES)
                    .map_err(|e| CatalogError::Parse(e.to_string()))?;
                Ok(Catalog::indexed(file))
            })
            .clone()
    }

    /// Parses and validates a catalog; on failure lists every problem found.
    pub fn from_json(json: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile =
            crate::json::from_text(json).map_err(|e| CatalogError::Parse(e.to_string()))?;
        Catalog::from_file(file)
    }

    /// Validates an already-parsed catalog file.
    pub fn from_file(file: CatalogFile) -> Result<Catalog, CatalogError> {
        let problems = validate(&file);
        if !problems.is_empty() {
            return Err(CatalogError::Invalid(problems));
        }
        Ok(Catalog::indexed(file))
    }

    fn indexed(file: CatalogFile) -> Catalog {
        let by_id = file
            .drills
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut catalog = Catalog {
            file: Arc::new(file),
            by_id: Arc::new(by_id),
            chains: Arc::default(),
        };
        catalog.chains = Arc::new(catalog.walk_chains());
        catalog
    }

    /// Content version of the catalog.
    pub fn version(&self) -> u32 {
        self.file.version
    }

    /// All drills in file order.
    pub fn drills(&self) -> &[Drill] {
        &self.file.drills
    }

    /// All assessments (knee-to-wall, …).
    pub fn assessments(&self) -> &[Assessment] {
        &self.file.assessments
    }

    /// The drill with this id.
    pub fn drill(&self, id: &str) -> Result<&Drill, CatalogError> {
        self.by_id
            .get(id)
            .and_then(|&i| self.file.drills.get(i))
            .ok_or_else(|| CatalogError::UnknownDrill(id.chars().take(64).collect()))
    }

    /// The assessment with this id.
    pub fn assessment(&self, id: &str) -> Result<&Assessment, CatalogError> {
        self.file
            .assessments
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| CatalogError::UnknownDrill(id.chars().take(64).collect()))
    }
}
