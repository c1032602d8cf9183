//! The drill catalog: data embedded in the binary (`core/catalog/drills.json`), and queried
//! by id, target, equipment and progression chain. The shipped catalog is parsed and
//! validated at build time (`core/build.rs`) and embedded as postcard bytes, decoded once
//! per process on first use; `from_json` parses and validates any other catalog file.
//! The long texts of the embedded catalog (descriptions, cues, cautions, assessment steps)
//! are a deflated blob apart, inflated the first time a full catalog is asked for: the open
//! path and the plans use [`Catalog::embedded_for_plans`], which leaves them empty (ADR 0024).

pub mod clips;
mod decode;
mod model;
mod query;
mod validate;

use foldhash::HashMap;
use std::sync::{Arc, OnceLock};

pub use model::*;
pub use validate::{limits, validate, CatalogProblem};

use crate::sorted_map::SortedMap;

/// The catalog shipped with the app.
pub const EMBEDDED_CATALOG_JSON: &str = include_str!("../../catalog/drills.json");

/// The same catalog, validated and encoded by `build.rs`, without its long texts.
static EMBEDDED_CATALOG_BYTES: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));

/// The long texts of every drill and assessment, in catalog order, postcard-encoded and
/// deflated by `build.rs`, and their inflated length.
static EMBEDDED_TEXT_DEFLATED: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/catalog-text.deflate"));
const EMBEDDED_TEXT_LEN: usize = include!(concat!(env!("OUT_DIR"), "/catalog-text.len"));

/// Every locale's text of each drill and of each assessment, in catalog order.
type CatalogTexts = (
    Vec<SortedMap<String, DrillText>>,
    Vec<SortedMap<String, AssessmentText>>,
);

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
    chains: Arc<SortedMap<String, Vec<String>>>,
    /// Whether this is the embedded catalog without its long texts
    /// ([`Catalog::embedded_for_plans`]).
    long_texts_left_out: bool,
}

/// The embedded catalog without its long texts, and whole; each decoded on first use.
static FOR_PLANS: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
static WHOLE: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();

fn embedded_for_plans() -> &'static Result<Catalog, CatalogError> {
    FOR_PLANS.get_or_init(|| {
        let mut catalog = Catalog::indexed(decode_embedded(false)?);
        catalog.long_texts_left_out = true;
        Ok(catalog)
    })
}

fn embedded_whole() -> &'static Result<Catalog, CatalogError> {
    WHOLE.get_or_init(|| {
        // Same drills and chains as the catalog for plans: its indexes are shared.
        let for_plans = embedded_for_plans().clone()?;
        Ok(Catalog {
            file: Arc::new(decode_embedded(true)?),
            long_texts_left_out: false,
            ..for_plans
        })
    })
}

/// Decodes the embedded catalog without its long texts, or (`whole`) with them inflated and
/// put back; not cached (the benches measure it; the library decodes each once).
#[doc(hidden)]
pub fn decode_embedded(whole: bool) -> Result<CatalogFile, CatalogError> {
    // Decoded by hand: the same as `postcard::from_bytes`, without serde's visitors for
    // every catalog type (`decode`; BENCHMARKS.md "Size").
    let mut file = decode::catalog(EMBEDDED_CATALOG_BYTES)
        .ok_or_else(|| CatalogError::Parse("the embedded catalog is damaged".into()))?;
    if !whole {
        return Ok(file);
    }
    let damaged = || CatalogError::Parse("the embedded catalog's texts are damaged".into());
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(
        EMBEDDED_TEXT_DEFLATED,
        EMBEDDED_TEXT_LEN,
    )
    .map_err(|_| damaged())?;
    let (drill_texts, assessment_texts) = decode::texts(&inflated).ok_or_else(damaged)?;
    if drill_texts.len() != file.drills.len() || assessment_texts.len() != file.assessments.len() {
        return Err(damaged());
    }
    for (drill, text) in file.drills.iter_mut().zip(drill_texts) {
        drill.text = text;
    }
    for (assessment, text) in file.assessments.iter_mut().zip(assessment_texts) {
        assessment.text = text;
    }
    Ok(file)
}

impl Catalog {
    /// The catalog embedded in the binary, decoded on the first call and shared after.
    /// Validated by `build.rs`, so this only fails if the embedded bytes were damaged.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        embedded_whole().clone()
    }

    /// The embedded catalog as the open path and the plans need it: the same drills,
    /// dosages, chains, names and clips as [`Catalog::embedded`], but descriptions, cues,
    /// cautions and assessment steps empty, so the first `today()` of a process does not
    /// inflate them (ADR 0024). Anything that shows or speaks those texts (a drill's
    /// screen, a guided session) uses [`Catalog::with_long_texts`] or `embedded()`.
    pub fn embedded_for_plans() -> Result<Catalog, CatalogError> {
        embedded_for_plans().clone()
    }

    /// This catalog with every text: itself, or for [`Catalog::embedded_for_plans`] the
    /// whole embedded catalog (inflating its long texts on the first call in a process).
    pub fn with_long_texts(&self) -> Result<&Catalog, CatalogError> {
        if !self.long_texts_left_out {
            return Ok(self);
        }
        embedded_whole().as_ref().map_err(Clone::clone)
    }

    /// Whether the embedded catalog's long texts have been inflated in this process (for
    /// tests that check the open path leaves them alone).
    #[doc(hidden)]
    pub fn embedded_long_texts_inflated() -> bool {
        WHOLE.get().is_some()
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
            long_texts_left_out: false,
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
