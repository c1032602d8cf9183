//! Reconciliation: the per-id difference between what the OS has pending and the desired set
//! from [`super::plan_reminders`], so a shell touches only what changed. The contract is
//! described in the module doc of [`crate::schedule`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::reminders::Reminder;

/// What a shell needs to remember about a pending notification to reconcile it later (e.g.
/// in the iOS notification's `userInfo` or an Android `PendingIntent` extra).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledReminder {
    pub id: String,
    #[serde(with = "crate::formats::serde_form::instant")]
    pub fire_at: DateTime<Utc>,
    /// [`content_hash`] of the reminder as it was scheduled.
    pub content_hash: String,
}

impl From<&Reminder> for ScheduledReminder {
    fn from(r: &Reminder) -> Self {
        ScheduledReminder {
            id: r.id.clone(),
            fire_at: r.fire_at,
            content_hash: content_hash(r),
        }
    }
}

/// What to do to the pending notifications so that exactly the desired set is pending.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReconcilePlan {
    /// Pending ids that are not desired any more, sorted.
    pub cancel: Vec<String>,
    /// Desired reminders with no pending notification, in fire order.
    pub add: Vec<Reminder>,
    /// Desired reminders pending under the same id with another fire instant or content,
    /// in fire order: cancel the old one and schedule this one under the same id.
    pub replace: Vec<Reminder>,
    /// Ids pending exactly as desired, in fire order: leave them alone.
    pub unchanged: Vec<String>,
}

impl ReconcilePlan {
    /// True when nothing has to be cancelled, added or replaced.
    pub fn is_empty(&self) -> bool {
        self.cancel.is_empty() && self.add.is_empty() && self.replace.is_empty()
    }
}

/// Hex SHA-256 over every field a runner sees or the OS acts on (id, kind, fire instant,
/// local time, zone, title, body, deep link, reason). Length-prefixed fields, so no two
/// different reminders share an encoding; stable across runs and platforms.
pub fn content_hash(r: &Reminder) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(&r.id);
    field(r.kind.as_str());
    field(&crate::formats::to_rfc3339(&r.fire_at));
    field(&crate::formats::naive_text(&r.local_time));
    field(&r.zone);
    field(&r.title);
    field(&r.body);
    field(&r.deep_link);
    field(&r.reason.code);
    field(&r.reason.message);
    for (k, v) in &r.reason.numbers {
        field(k);
        field(&v.to_bits().to_string());
    }
    crate::formats::lower_hex(&h.finalize())
}

/// Diffs full pending reminders against the desired set (see [`reconcile_scheduled`]).
pub fn reconcile(scheduled: &[Reminder], desired: &[Reminder]) -> ReconcilePlan {
    let scheduled: Vec<ScheduledReminder> = scheduled.iter().map(ScheduledReminder::from).collect();
    reconcile_scheduled(&scheduled, desired)
}

/// Diffs what is pending (id, fire instant, content hash) against the desired set. A
/// desired id listed twice counts once (the first); a pending id listed twice is compared
/// by its first entry.
pub fn reconcile_scheduled(scheduled: &[ScheduledReminder], desired: &[Reminder]) -> ReconcilePlan {
    // Both by id, in id order: maps without B-trees of their own (each key and value type of
    // a `BTreeMap` is its own code in the phone library).
    let mut pending: Vec<(&str, &ScheduledReminder)> = Vec::new();
    for s in scheduled {
        if let Err(at) = pending.binary_search_by_key(&s.id.as_str(), |e| e.0) {
            pending.insert(at, (s.id.as_str(), s));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut plan = ReconcilePlan::default();
    for want in desired {
        match seen.binary_search(&want.id.as_str()) {
            Ok(_) => continue,
            Err(at) => seen.insert(at, want.id.as_str()),
        }
        let have = pending
            .binary_search_by_key(&want.id.as_str(), |e| e.0)
            .ok()
            .and_then(|at| pending.get(at));
        match have {
            None => plan.add.push(want.clone()),
            Some((_, have))
                if have.fire_at == want.fire_at && have.content_hash == content_hash(want) =>
            {
                plan.unchanged.push(want.id.clone())
            }
            Some(_) => plan.replace.push(want.clone()),
        }
    }
    plan.cancel = pending
        .iter()
        .filter(|(id, _)| seen.binary_search(id).is_err())
        .map(|(id, _)| (*id).to_string())
        .collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reason;
    use crate::schedule::ReminderKind;
    use chrono::TimeZone;

    fn r(id: &str, hour: u32, body: &str) -> Reminder {
        let fire_at = Utc.with_ymd_and_hms(2026, 6, 1, hour, 0, 0).unwrap();
        Reminder {
            id: id.into(),
            kind: ReminderKind::DailyDrills,
            fire_at,
            local_time: fire_at.naive_utc(),
            zone: "UTC".into(),
            title: "t".into(),
            body: body.into(),
            deep_link: "talus://session/today".into(),
            reason: Reason::default(),
        }
    }

    #[test]
    fn each_id_lands_in_exactly_one_bucket() {
        let pending = [
            r("z", 8, "a"),
            r("a", 9, "a"),
            r("b", 10, "a"),
            r("c", 11, "a"),
        ];
        let desired = [
            r("b", 10, "a"),
            r("c", 11, "changed"),
            r("d", 12, "a"),
            r("d", 13, "a"),
        ];
        let plan = reconcile(&pending, &desired);
        assert_eq!(plan.cancel, ["a", "z"]);
        assert_eq!(plan.unchanged, ["b"]);
        assert_eq!(plan.replace, [desired[1].clone()]);
        assert_eq!(plan.add, [desired[2].clone()]);
        assert!(!plan.is_empty());
        assert!(reconcile(&desired[..3], &desired[..3]).is_empty());
    }

    #[test]
    fn hash_covers_shown_content_and_is_stable() {
        let a = r("x", 8, "body");
        assert_eq!(content_hash(&a), content_hash(&a.clone()));
        assert_eq!(content_hash(&a).len(), 64);
        assert_ne!(content_hash(&a), content_hash(&r("x", 8, "other")));
        // Length prefixes keep field boundaries: moving text between fields changes it.
        let mut b = a.clone();
        b.title = "tb".into();
        b.body = "ody".into();
        assert_ne!(content_hash(&a), content_hash(&b));
    }

    /// The plan as it was made with B-trees (the oracle for the ordered vectors).
    fn plan_with_b_trees(scheduled: &[ScheduledReminder], desired: &[Reminder]) -> ReconcilePlan {
        use std::collections::{BTreeMap, BTreeSet};
        let mut pending: BTreeMap<&str, &ScheduledReminder> = BTreeMap::new();
        for s in scheduled {
            pending.entry(s.id.as_str()).or_insert(s);
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut plan = ReconcilePlan::default();
        for want in desired {
            if !seen.insert(want.id.as_str()) {
                continue;
            }
            match pending.get(want.id.as_str()) {
                None => plan.add.push(want.clone()),
                Some(have)
                    if have.fire_at == want.fire_at && have.content_hash == content_hash(want) =>
                {
                    plan.unchanged.push(want.id.clone())
                }
                Some(_) => plan.replace.push(want.clone()),
            }
        }
        plan.cancel = pending
            .keys()
            .filter(|id| !seen.contains(*id))
            .map(|id| (*id).to_string())
            .collect();
        plan
    }

    proptest::proptest! {
        /// Ids repeated on either side, pending ones stale or current: the same plan as the
        /// B-tree version made.
        #[test]
        fn plans_are_what_the_b_trees_made(
            pending in proptest::collection::vec((0u8..8, 0u32..3, 0u8..2), 0..12),
            desired in proptest::collection::vec((0u8..8, 0u32..3, 0u8..2), 0..12),
        ) {
            let reminder = |&(id, hour, body): &(u8, u32, u8)| {
                r(&format!("r{id}"), hour, if body == 0 { "a" } else { "b" })
            };
            let scheduled: Vec<ScheduledReminder> = pending
                .iter()
                .map(|p| ScheduledReminder::from(&reminder(p)))
                .collect();
            let desired: Vec<Reminder> = desired.iter().map(reminder).collect();
            proptest::prop_assert_eq!(
                reconcile_scheduled(&scheduled, &desired),
                plan_with_b_trees(&scheduled, &desired)
            );
        }
    }
}
