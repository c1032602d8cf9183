//! An ordered map kept as two sorted vectors, for the library's small maps (issue 21,
//! BENCHMARKS.md "Size").
//!
//! Every key and value type of a `BTreeMap` gets its own copy of the B-tree's node code
//! (search, insert with splits, remove with rebalancing, iteration, drop): ≈1–4 KB of code
//! plus unwind tables per map type, ≈53 KB over the library's maps. [`SortedMap`] keeps its
//! keys and its values in two vectors in key order: a lookup is a binary search over the
//! keys alone, so it is one copy per *key* type (shared by every map with `Uuid` keys, say),
//! and an insert or a removal moves the tail of two vectors, which is `Vec`'s own code.
//!
//! It behaves as a `BTreeMap` does for what the library asks of one: iteration in key
//! order, an insert with a key already present keeps the key and replaces the value,
//! equality by contents, `Debug` and serde forms as a map. Inserting in the middle is
//! linear, so it suits maps of tens or hundreds of entries (devices, pending ranges, a
//! reason's numbers, a record's fields), or ones filled in key order.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Bound, RangeBounds};

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// A map from `K` to `V` iterated in key order, stored as sorted vectors.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    /// Distinct keys in ascending order.
    keys: Vec<K>,
    /// `values[i]` belongs to `keys[i]`.
    values: Vec<V>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// Where `key` is (`Ok`) or would go (`Err`) among sorted `keys`. A free function so that
/// every map with the same key type shares one copy of the search.
fn position<K: Borrow<Q>, Q: Ord + ?Sized>(keys: &[K], key: &Q) -> Result<usize, usize> {
    keys.binary_search_by(|k| k.borrow().cmp(key))
}

impl<K, V> SortedMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the map holds no entry.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> std::iter::Zip<std::slice::Iter<'_, K>, std::slice::Iter<'_, V>> {
        self.keys.iter().zip(self.values.iter())
    }

    /// Entries in key order, values mutable.
    pub fn iter_mut(
        &mut self,
    ) -> std::iter::Zip<std::slice::Iter<'_, K>, std::slice::IterMut<'_, V>> {
        self.keys.iter().zip(self.values.iter_mut())
    }

    /// Keys in order.
    pub fn keys(&self) -> std::slice::Iter<'_, K> {
        self.keys.iter()
    }

    /// Values in key order.
    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.values.iter()
    }

    /// Values in key order, mutable.
    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.values.iter_mut()
    }

    /// Values in key order, consuming the map.
    pub fn into_values(self) -> std::vec::IntoIter<V> {
        self.values.into_iter()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.values.clear();
    }

    /// Keeps the entries for which `keep` says so, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let keys = std::mem::take(&mut self.keys);
        let values = std::mem::take(&mut self.values);
        for (key, mut value) in keys.into_iter().zip(values) {
            if keep(&key, &mut value) {
                self.keys.push(key);
                self.values.push(value);
            }
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// The map of `pairs` gathered in any order, sorted once (for a bulk fill, where
    /// inserting one by one would move the tail each time): the same map as inserting them
    /// in turn, so the last of equal keys gives the value.
    pub fn from_unsorted(mut pairs: Vec<(K, V)>) -> Self {
        crate::order::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
        let mut map = SortedMap {
            keys: Vec::with_capacity(pairs.len()),
            values: Vec::with_capacity(pairs.len()),
        };
        for (key, value) in pairs {
            match (map.keys.last(), map.values.last_mut()) {
                (Some(last), Some(slot)) if *last == key => *slot = value,
                _ => {
                    map.keys.push(key);
                    map.values.push(value);
                }
            }
        }
        map
    }

    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.values.get(position(&self.keys, key).ok()?)
    }

    /// The value for `key`, mutable.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.values.get_mut(position(&self.keys, key).ok()?)
    }

    /// Whether the map holds `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        position(&self.keys, key).is_ok()
    }

    /// Sets the value for `key`; returns the value it replaces (the key already held stays,
    /// as in a `BTreeMap`).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match position(&self.keys, &key) {
            Ok(at) => self
                .values
                .get_mut(at)
                .map(|slot| std::mem::replace(slot, value)),
            Err(at) => {
                self.keys.insert(at, key);
                self.values.insert(at, value);
                None
            }
        }
    }

    /// The value for `key`, inserted by `make` first when there is none: `BTreeMap`'s
    /// `entry(key).or_insert_with(make)`. Always `Some`; an `Option` only so that no index
    /// can panic.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> Option<&mut V> {
        let at = match position(&self.keys, &key) {
            Ok(at) => at,
            Err(at) => {
                self.keys.insert(at, key);
                self.values.insert(at, make());
                at
            }
        };
        self.values.get_mut(at)
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let at = position(&self.keys, key).ok()?;
        self.keys.remove(at);
        Some(self.values.remove(at))
    }

    /// The entries whose keys lie in `range`, in key order.
    pub fn range(
        &self,
        range: impl RangeBounds<K>,
    ) -> std::iter::Zip<std::slice::Iter<'_, K>, std::slice::Iter<'_, V>> {
        let start = match range.start_bound() {
            Bound::Included(s) => self.keys.partition_point(|k| k < s),
            Bound::Excluded(s) => self.keys.partition_point(|k| k <= s),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(e) => self.keys.partition_point(|k| k <= e),
            Bound::Excluded(e) => self.keys.partition_point(|k| k < e),
            Bound::Unbounded => self.keys.len(),
        }
        .max(start);
        let keys = self.keys.get(start..end).unwrap_or_default();
        let values = self.values.get(start..end).unwrap_or_default();
        keys.iter().zip(values.iter())
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V> {
    type Output = V;

    /// The value for `key`, as a `BTreeMap` indexes. Panics when there is none, so the
    /// library itself reads with [`SortedMap::get`]; tests read with this.
    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no entry for the key in the SortedMap"),
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    /// The map of `pairs`, as a `BTreeMap` is made from an array.
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    /// Inserts each pair in turn: a later pair replaces the value of an earlier equal key,
    /// as collecting into a `BTreeMap` does.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (key, value) in pairs {
            self.insert(key, value);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(pairs);
        map
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<K>, std::vec::IntoIter<V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter().zip(self.values)
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, K>, std::slice::Iter<'a, V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    /// `{key: value, …}`, as a `BTreeMap` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    /// A map, as serde writes a `BTreeMap`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SortedMap<K, V> {
    /// A map, as serde reads a `BTreeMap`: a later equal key replaces the value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SortedMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SortedMap::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// One step of a random workout, applied to both maps.
    #[derive(Debug, Clone)]
    enum Step {
        Insert(u8, i16),
        Remove(u8),
        GetOrInsert(u8, i16),
        Retain(u8),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (any::<u8>(), any::<i16>()).prop_map(|(k, v)| Step::Insert(k % 40, v)),
            any::<u8>().prop_map(|k| Step::Remove(k % 40)),
            (any::<u8>(), any::<i16>()).prop_map(|(k, v)| Step::GetOrInsert(k % 40, v)),
            any::<u8>().prop_map(|k| Step::Retain(k % 7 + 2)),
        ]
    }

    proptest! {
        /// The old map is the oracle: every step answers the same, and afterwards both hold
        /// the same entries in the same order, print and serialize alike and answer the same
        /// lookups and ranges.
        #[test]
        fn behaves_as_a_btreemap(steps in prop::collection::vec(step(), 0..120)) {
            let mut ours: SortedMap<u8, i16> = SortedMap::new();
            let mut std: BTreeMap<u8, i16> = BTreeMap::new();
            for s in steps {
                match s {
                    Step::Insert(k, v) => prop_assert_eq!(ours.insert(k, v), std.insert(k, v)),
                    Step::Remove(k) => prop_assert_eq!(ours.remove(&k), std.remove(&k)),
                    Step::GetOrInsert(k, v) => {
                        let a = ours.get_or_insert_with(k, || v).map(|x| { *x += 1; *x });
                        let b = { let x = std.entry(k).or_insert_with(|| v); *x += 1; *x };
                        prop_assert_eq!(a, Some(b));
                    }
                    Step::Retain(m) => {
                        ours.retain(|k, _| k % m != 0);
                        std.retain(|k, _| k % m != 0);
                    }
                }
                prop_assert_eq!(ours.len(), std.len());
            }
            prop_assert!(ours.iter().eq(std.iter()));
            prop_assert!(ours.clone().into_iter().eq(std.clone()));
            prop_assert!(ours.keys().eq(std.keys()));
            for (k, v) in &std {
                prop_assert_eq!(ours[k], *v);
            }
            prop_assert!(ours.values().eq(std.values()));
            prop_assert_eq!(format!("{ours:?}"), format!("{std:?}"));
            prop_assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&std).unwrap()
            );
            for k in 0..42u8 {
                prop_assert_eq!(ours.get(&k), std.get(&k));
                prop_assert_eq!(ours.contains_key(&k), std.contains_key(&k));
                prop_assert!(ours.range(..=k).eq(std.range(..=k)));
                prop_assert!(ours.range(k..).eq(std.range(k..)));
                for e in k..42u8 {
                    let (lo, hi) = (Bound::Excluded(k), Bound::Included(e));
                    prop_assert!(ours.range((lo, hi)).eq(std.range((lo, hi))));
                    prop_assert!(ours.range(k..e).eq(std.range(k..e)));
                }
            }
        }

        /// Collecting and reading keep the last of equal keys, as a `BTreeMap` does.
        #[test]
        fn collects_and_reads_as_a_btreemap(pairs in prop::collection::vec((0u8..30, any::<i16>()), 0..60)) {
            let ours: SortedMap<u8, i16> = pairs.iter().copied().collect();
            let std: BTreeMap<u8, i16> = pairs.iter().copied().collect();
            prop_assert!(ours.iter().eq(std.iter()));
            prop_assert_eq!(&SortedMap::from_unsorted(pairs.clone()), &ours);
            let text = format!(
                "{{{}}}",
                pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",")
            );
            let ours: SortedMap<u8, i16> = serde_json::from_str(&text).unwrap();
            let std: BTreeMap<u8, i16> = serde_json::from_str(&text).unwrap();
            prop_assert!(ours.iter().eq(std.iter()));
            prop_assert_eq!(ours == ours.clone(), true);
        }
    }
}
