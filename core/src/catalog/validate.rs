//! Catalog validation: every rule a catalog file must meet, reporting all problems at once.

use serde::{Deserialize, Serialize};

use super::model::CatalogFile;

/// One broken rule in a catalog file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogProblem {
    /// Drill or assessment id (or `catalog` for file-level problems).
    pub item: String,
    /// Stable machine-readable code, e.g. `duplicate_id`.
    pub code: String,
    pub detail: String,
}

impl CatalogProblem {
    /// Joins problems into one line for error messages.
    pub fn join(problems: &[CatalogProblem]) -> String {
        problems
            .iter()
            .map(|p| format!("{}: {} ({})", p.item, p.code, p.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Checks every rule and returns every problem (empty when the catalog is valid).
pub fn validate(file: &CatalogFile) -> Vec<CatalogProblem> {
    let mut problems = Vec::new();
    if file.drills.is_empty() {
        problems.push(CatalogProblem {
            item: "catalog".into(),
            code: "no_drills".into(),
            detail: "the catalog has no drills".into(),
        });
    }
    problems
}
