//! Version vectors: for each device, the highest clock value up to which every op of that
//! device has been seen. They say what to send a peer ("everything after its watermark").

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::op::{Hlc, Stamp};
use crate::sorted_map::SortedMap;

/// Per-device watermarks. A device missing from the map has watermark `Hlc::default()`
/// (nothing seen); ops always carry a clock value above that.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VersionVector {
    entries: SortedMap<Uuid, Hlc>,
}

impl VersionVector {
    /// An empty vector: nothing seen.
    pub fn new() -> VersionVector {
        VersionVector::default()
    }

    /// A vector as serde reads one from JSON text (`{"entries": {device: clock, …}}` or
    /// the array of that one field; the last of keys naming the same device kept), from
    /// the parsed tree ([`crate::json::tree`]).
    pub(crate) fn from_json(json: &crate::json::tree::Json) -> Option<VersionVector> {
        let [entries] = json.fields(["entries"])?;
        let mut vector = VersionVector::new();
        for (device, hlc) in entries?.entries()? {
            let device = crate::json::tree::key_uuid(device)?;
            vector.entries.insert(device, Hlc::from_json(hlc)?);
        }
        Some(vector)
    }

    /// The watermark for `device` (`Hlc::default()` when none).
    pub fn get(&self, device: &Uuid) -> Hlc {
        self.entries.get(device).copied().unwrap_or_default()
    }

    /// Raises the watermark for `device` to `hlc` if it is higher; returns whether it moved.
    pub fn advance(&mut self, device: Uuid, hlc: Hlc) -> bool {
        if hlc <= self.get(&device) {
            return false;
        }
        self.entries.insert(device, hlc);
        true
    }

    /// Whether the op with `stamp` is at or below its device's watermark.
    pub fn covers(&self, stamp: &Stamp) -> bool {
        stamp.hlc <= self.get(&stamp.device)
    }

    /// Pointwise maximum with `other`.
    pub fn merge(&mut self, other: &VersionVector) {
        for (device, hlc) in &other.entries {
            self.advance(*device, *hlc);
        }
    }

    /// Pointwise minimum with `other` (devices missing from either side drop out).
    pub fn meet(&self, other: &VersionVector) -> VersionVector {
        VersionVector {
            entries: crate::order::by_insertion(self.entries.iter().filter_map(|(d, h)| {
                let m = (*h).min(other.get(d));
                (m > Hlc::default()).then_some((*d, m))
            })),
        }
    }

    /// Whether every watermark here is at or below the one in `other`.
    pub fn dominated_by(&self, other: &VersionVector) -> bool {
        self.entries.iter().all(|(d, h)| *h <= other.get(d))
    }

    /// Devices and watermarks in device order.
    pub fn iter(&self) -> impl Iterator<Item = (&Uuid, &Hlc)> {
        self.entries.iter()
    }

    /// Number of devices with a watermark.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<(Uuid, Hlc)> for VersionVector {
    fn from_iter<T: IntoIterator<Item = (Uuid, Hlc)>>(iter: T) -> Self {
        let mut vv = VersionVector::new();
        for (d, h) in iter {
            vv.advance(d, h);
        }
        vv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hlc(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
        }
    }

    #[test]
    fn merge_is_pointwise_max_and_meet_pointwise_min() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut x: VersionVector = [(a, hlc(5)), (b, hlc(1))].into_iter().collect();
        let y: VersionVector = [(a, hlc(3)), (b, hlc(9))].into_iter().collect();
        assert_eq!(x.meet(&y), [(a, hlc(3)), (b, hlc(1))].into_iter().collect());
        x.merge(&y);
        assert_eq!(x.get(&a), hlc(5));
        assert_eq!(x.get(&b), hlc(9));
        assert!(y.dominated_by(&x));
        assert!(!x.dominated_by(&y));
        assert!(x.covers(&Stamp {
            hlc: hlc(9),
            device: b
        }));
        assert!(!x.covers(&Stamp {
            hlc: hlc(10),
            device: b
        }));
    }
}
