// Carries out the core's reminder plan with UNUserNotificationCenter: cancel, add and
// replace exactly what `reconcileReminders` says, never touching unchanged ones. The core
// decides what is wanted; this file only talks to the OS.
import Foundation
import UserNotifications

public final class ReminderScheduler {
    private let center = UNUserNotificationCenter.current()
    private let engine: Engine
    /// Key under which the scheduled ids, fire instants and content hashes are remembered.
    private let pendingKey = "talus.pendingReminders"

    public init(engine: Engine) {
        self.engine = engine
    }

    private func loadPending() -> [PendingReminder] {
        guard let rows = UserDefaults.standard.array(forKey: pendingKey) as? [[String: Any]] else {
            return []
        }
        return rows.compactMap { row in
            guard let id = row["id"] as? String,
                  let fire = row["fireAtMs"] as? Int64,
                  let hash = row["contentHash"] as? String else { return nil }
            return PendingReminder(id: id, fireAtMs: fire, contentHash: hash)
        }
    }

    private func savePending(_ pending: [PendingReminder]) {
        let rows = pending.map { ["id": $0.id, "fireAtMs": $0.fireAtMs, "contentHash": $0.contentHash] as [String: Any] }
        UserDefaults.standard.set(rows, forKey: pendingKey)
    }

    private func request(for reminder: ReminderInfo) -> UNNotificationRequest {
        let content = UNMutableNotificationContent()
        content.title = reminder.title
        content.body = reminder.body
        content.userInfo = ["deepLink": reminder.deepLink]
        let seconds = max(1, Double(reminder.fireAtMs) / 1000 - Date().timeIntervalSince1970)
        let trigger = UNTimeIntervalNotificationTrigger(timeInterval: seconds, repeats: false)
        return UNNotificationRequest(identifier: reminder.id, content: content, trigger: trigger)
    }

    /// Call on app start, after importing runs, after a check-in and when the time zone
    /// changes. Runs the core call off the main thread.
    public func reconcile(zone: String = TimeZone.current.identifier) async throws {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        var pending = Dictionary(uniqueKeysWithValues: loadPending().map { ($0.id, $0) })
        let known = Array(pending.values)
        let plan = try await Task.detached { [engine] in
            try engine.reconcileReminders(pending: known, nowMs: nowMs, zone: zone)
        }.value
        center.removePendingNotificationRequests(withIdentifiers: plan.cancel)
        for id in plan.cancel {
            pending.removeValue(forKey: id)
        }
        // Adding a request with an existing identifier replaces it, so add and replace are
        // the same OS call.
        for reminder in plan.add + plan.replace {
            try await center.add(request(for: reminder))
            pending[reminder.id] = PendingReminder(
                id: reminder.id, fireAtMs: reminder.fireAtMs, contentHash: reminder.contentHash)
        }
        savePending(Array(pending.values))
    }
}
