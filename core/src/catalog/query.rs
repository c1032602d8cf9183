//! Catalog queries the planner and the shells need: by target, by equipment at hand, and
//! navigation along progression chains.

use super::{Catalog, CatalogError, Drill, Equipment, Target};
use crate::sorted_map::SortedMap;

impl Catalog {
    /// Drills that work on `target` (primary or secondary), in catalog order.
    pub fn by_target(&self, target: Target) -> Vec<&Drill> {
        self.drills()
            .iter()
            .filter(|d| d.targets.contains(&target))
            .collect()
    }

    /// Drills whose every piece of equipment is in `at_hand` (bodyweight drills always are).
    pub fn available_with(&self, at_hand: &[Equipment]) -> Vec<&Drill> {
        self.drills()
            .iter()
            .filter(|d| d.equipment.iter().all(|e| at_hand.contains(e)))
            .collect()
    }

    /// The next harder drill in `id`'s chain, if any.
    pub fn next_level(&self, id: &str) -> Result<Option<&Drill>, CatalogError> {
        let drill = self.drill(id)?;
        drill
            .progression
            .as_deref()
            .map(|next| self.drill(next))
            .transpose()
    }

    /// The next easier drill in `id`'s chain, if any.
    pub fn previous_level(&self, id: &str) -> Result<Option<&Drill>, CatalogError> {
        let drill = self.drill(id)?;
        drill
            .regression
            .as_deref()
            .map(|prev| self.drill(prev))
            .transpose()
    }

    /// The whole chain `id` belongs to, easiest first.
    pub fn chain(&self, id: &str) -> Result<Vec<&Drill>, CatalogError> {
        let drill = self.drill(id)?;
        self.chain_named(&drill.chain)
    }

    /// The drills of the chain called `name`, easiest first.
    pub fn chain_named(&self, name: &str) -> Result<Vec<&Drill>, CatalogError> {
        let mut levels = Vec::new();
        let mut current = self.entry_drill(name);
        // Validation guarantees no cycles; the bound keeps this total even so.
        while let Some(d) = current {
            if levels.len() > self.drills().len() {
                break;
            }
            levels.push(d);
            current = d.progression.as_deref().and_then(|p| self.drill(p).ok());
        }
        if levels.is_empty() {
            return Err(CatalogError::UnknownChain(name.chars().take(64).collect()));
        }
        Ok(levels)
    }

    /// The easiest drill of the chain called `name`.
    pub fn entry_drill(&self, name: &str) -> Option<&Drill> {
        self.drills()
            .iter()
            .find(|d| d.chain == name && d.regression.is_none())
    }

    /// Every chain by name, each as drill ids easiest first.
    pub fn chains(&self) -> SortedMap<String, Vec<String>> {
        self.chain_ids().clone()
    }

    /// [`Catalog::chains`] without a copy.
    pub fn chain_ids(&self) -> &SortedMap<String, Vec<String>> {
        &self.chains
    }

    /// Every chain by name, walked from its entry drill (once, when the catalog is built).
    pub(super) fn walk_chains(&self) -> SortedMap<String, Vec<String>> {
        let mut out = SortedMap::new();
        for drill in self.drills() {
            if out.contains_key(&drill.chain) {
                continue;
            }
            if let Ok(levels) = self.chain_named(&drill.chain) {
                out.insert(
                    drill.chain.clone(),
                    levels.iter().map(|d| d.id.clone()).collect(),
                );
            }
        }
        out
    }

    /// 0-based position of `id` in its chain (0 = easiest).
    pub fn chain_position(&self, id: &str) -> Result<usize, CatalogError> {
        let levels = self.chain(id)?;
        levels
            .iter()
            .position(|d| d.id == id)
            .ok_or_else(|| CatalogError::UnknownDrill(id.chars().take(64).collect()))
    }
}
