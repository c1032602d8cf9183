// Carries out the core's reminder plan with the OS notification center: cancel, add and
// replace exactly what `reconcileReminders` says, never touching unchanged ones. The core
// decides what is wanted (ids, instants, quiet hours, DST); this file asks for permission
// the first time there is something to schedule and talks to the OS through a protocol.
import Foundation

/// A notification to schedule at an instant, as the OS adapter needs it.
public struct PlannedNotification: Equatable, Sendable {
    public var id: String
    public var title: String
    public var body: String
    public var fireAtMs: Int64
    public var deepLink: String
    public var category: NotificationCategory

    public init(id: String, title: String, body: String, fireAtMs: Int64, deepLink: String,
                category: NotificationCategory) {
        self.id = id
        self.title = title
        self.body = body
        self.fireAtMs = fireAtMs
        self.deepLink = deepLink
        self.category = category
    }
}

public enum NotificationAuthorization: Sendable {
    case notDetermined, denied, authorized
}

/// The OS notification center, narrowed to what reconciliation needs.
public protocol NotificationScheduling: AnyObject, Sendable {
    func authorization() async -> NotificationAuthorization
    /// Shows the system prompt; true when the runner allowed notifications.
    func requestAuthorization() async throws -> Bool
    func registerCategories(_ categories: [NotificationCategory])
    /// Adds or replaces (same id) a request.
    func add(_ notification: PlannedNotification) async throws
    func remove(ids: [String])
    /// Ids of the requests the OS still holds (delivered ones are gone).
    func pendingIds() async -> Set<String>
}

/// What one reconciliation did, for the settings screen and for tests.
public struct ReconcileOutcome: Equatable, Sendable {
    public var added: Int = 0
    public var replaced: Int = 0
    public var cancelled: Int = 0
    public var unchanged: Int = 0
    /// The runner declined notifications: nothing was scheduled.
    public var notAllowed = false

    public init() {}
}

public actor ReminderScheduler {
    private let core: CoreService
    private let center: any NotificationScheduling
    private let store: any KeyValueStore
    /// Where the ids, fire instants and content hashes of scheduled requests are kept.
    static let pendingKey = "talus.pendingReminders"

    public init(core: CoreService, center: any NotificationScheduling, store: any KeyValueStore) {
        self.core = core
        self.center = center
        self.store = store
        center.registerCategories(NotificationCategory.allCases)
    }

    /// Call on launch, after a run import, after a check-in or settings change, on a
    /// significant time change, on a time-zone change and in the background refresh task.
    @discardableResult
    public func reconcile() async throws -> ReconcileOutcome {
        var outcome = ReconcileOutcome()
        // Requests the OS no longer holds were delivered (or removed in Settings): tell the
        // core they are gone, so it re-adds only what is still wanted.
        let held = await center.pendingIds()
        let known = loadPending().filter { held.contains($0.id) }
        let plan = try await core.reconcileReminders(pending: known)
        let toSchedule = plan.add + plan.replace
        if !toSchedule.isEmpty {
            switch await center.authorization() {
            case .notDetermined:
                // Asked when the first reminder is planned, not at launch.
                if !(try await center.requestAuthorization()) {
                    outcome.notAllowed = true
                }
            case .denied:
                outcome.notAllowed = true
            case .authorized:
                break
            }
        }
        var pending = Dictionary(uniqueKeysWithValues: known.map { ($0.id, $0) })
        center.remove(ids: plan.cancel)
        for id in plan.cancel {
            pending.removeValue(forKey: id)
        }
        outcome.cancelled = plan.cancel.count
        outcome.unchanged = plan.unchanged.count
        if !outcome.notAllowed {
            // Adding a request with an existing id replaces it: add and replace are one call.
            for reminder in toSchedule {
                try await center.add(Self.notification(for: reminder))
                pending[reminder.id] = PendingReminder(
                    id: reminder.id, fireAtMs: reminder.fireAtMs, contentHash: reminder.contentHash)
            }
            outcome.added = plan.add.count
            outcome.replaced = plan.replace.count
        }
        savePending(Array(pending.values))
        return outcome
    }

    static func notification(for reminder: ReminderInfo) -> PlannedNotification {
        PlannedNotification(
            id: reminder.id, title: reminder.title, body: reminder.body,
            fireAtMs: reminder.fireAtMs, deepLink: reminder.deepLink,
            category: NotificationCategory(kind: reminder.kind))
    }

    private func loadPending() -> [PendingReminder] {
        guard let data = store.data(forKey: Self.pendingKey),
              let rows = try? JSONDecoder().decode([StoredReminder].self, from: data) else {
            return []
        }
        return rows.map { PendingReminder(id: $0.id, fireAtMs: $0.fireAtMs, contentHash: $0.contentHash) }
    }

    private func savePending(_ pending: [PendingReminder]) {
        let rows = pending.map { StoredReminder(id: $0.id, fireAtMs: $0.fireAtMs, contentHash: $0.contentHash) }
        store.set(try? JSONEncoder().encode(rows.sorted { $0.fireAtMs < $1.fireAtMs }), forKey: Self.pendingKey)
    }
}

private struct StoredReminder: Codable {
    var id: String
    var fireAtMs: Int64
    var contentHash: String
}
