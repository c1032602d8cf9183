//! One stable sort for the whole library (issue 21, BENCHMARKS.md "Size").
//!
//! `slice::sort_by` is generic over the element type and the comparator, so every call
//! site with its own closure gets its own copy of std's driftsort: ≈2–3 KB of code plus
//! unwind tables each, ≈70 KB over the library's sorts. [`sort_by`] and [`sort_by_key`]
//! sort the *positions* of the items instead, through one shared instantiation of the
//! std sort on `usize` with a `dyn` comparator, then move the items into that order; per
//! call site only a small permutation loop is generated.
//!
//! The result is exactly what `slice::sort_by` gives with the same comparator: the std
//! sort is stable, it starts from the positions in their original order, so items that
//! compare equal keep their original order. The indirect comparisons are slower than a
//! direct sort, which is why the few sorts of large inputs (a segment's ops by stamp) keep
//! a direct sort of their own.
//!
//! The same holds for collecting into a `BTreeMap` or `BTreeSet`: their `FromIterator`
//! sorts the items first, with a driftsort instantiated per *iterator* type. [`by_insertion`]
//! builds them by inserting instead, which shares the `insert` each map type has anyway.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`: the same order as `items.sort_by(compare)`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items: &[T] = items;
        sort_positions(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(a), Some(b)) => compare(a, b),
            // Unreachable: every position is below the length.
            _ => a.cmp(&b),
        });
    }
    permute(items, &mut order);
}

/// Sorts `items` stably by the key `key` gives: the same order as `items.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their own order: the same order as `items.sort()`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `items` collected into an ordered collection by inserting them one by one: for a
/// `BTreeMap` (or `serde_json::Map`) or `BTreeSet` the same contents as `collect()` gives
/// (a later pair replaces the value of an earlier one with an equal key), without the
/// sort `collect()` instantiates for each iterator type. For the small maps and sets the
/// library builds (an entity's fields, a reason's numbers, a version vector).
pub fn by_insertion<C: Default + Extend<T>, T>(items: impl IntoIterator<Item = T>) -> C {
    let mut collection = C::default();
    collection.extend(items);
    collection
}

/// The one instantiation of the std stable sort every call of [`sort_by`] shares.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Moves `items[order[i]]` to position `i` for every `i`, following each cycle of the
/// permutation with swaps; `order` ends as the identity.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        while let Some(&from) = order.get(at) {
            if let Some(slot) = order.get_mut(at) {
                *slot = at;
            }
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Same order as std's stable sort, ties included: the keys are small so many tie,
        /// and the payload tells tied items apart.
        #[test]
        fn sort_by_key_matches_std(keys in proptest::collection::vec(0u8..6, 0..80)) {
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut std = items;
            std.sort_by_key(|&(k, _)| k);
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn sort_by_matches_std_on_strings(words in proptest::collection::vec("[a-c]{0,3}", 0..60)) {
            let mut ours = words.clone();
            sort_by(&mut ours, |a, b| a.len().cmp(&b.len()).reverse());
            let mut std = words.clone();
            std.sort_by(|a, b| a.len().cmp(&b.len()).reverse());
            prop_assert_eq!(&ours, &std);
            let mut ours = words.clone();
            sort(&mut ours);
            let mut std = words;
            std.sort();
            prop_assert_eq!(ours, std);
        }
    }

    proptest! {
        /// The same map as `collect()`, duplicate keys included (the last value wins), and
        /// the same set.
        #[test]
        fn by_insertion_matches_collect(
            pairs in proptest::collection::vec(("[a-d]{0,2}", any::<i16>()), 0..60)
        ) {
            use std::collections::{BTreeMap, BTreeSet};
            let ours: BTreeMap<String, i16> = by_insertion(pairs.iter().cloned());
            let std: BTreeMap<String, i16> = pairs.iter().cloned().collect();
            prop_assert_eq!(ours, std);
            let ours: serde_json::Map<String, serde_json::Value> =
                by_insertion(pairs.iter().map(|(k, v)| (k.clone(), (*v).into())));
            let std: serde_json::Map<String, serde_json::Value> =
                pairs.iter().map(|(k, v)| (k.clone(), (*v).into())).collect();
            prop_assert_eq!(ours, std);
            let ours: BTreeSet<(String, i16)> = by_insertion(pairs.iter().cloned());
            let std: BTreeSet<(String, i16)> = pairs.iter().cloned().collect();
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn sorts_floats_by_total_order() {
        let mut ours = vec![2.5, -0.0, 0.0, f64::NAN, -1.0, 0.0, -0.0];
        let mut std = ours.clone();
        sort_by(&mut ours, f64::total_cmp);
        std.sort_by(f64::total_cmp);
        assert_eq!(
            ours.iter().map(|f| f.to_bits()).collect::<Vec<_>>(),
            std.iter().map(|f| f.to_bits()).collect::<Vec<_>>()
        );
    }
}
