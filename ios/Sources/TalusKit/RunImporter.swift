// Brings running workouts from the health store into the core. The health store adapter
// (HealthKit on iOS) reports what changed since a persisted anchor; each running workout is
// pushed as a RunInput keyed by the workout's UUID, so importing the same workout twice
// changes nothing (the core is idempotent on source + external id). The anchor is saved only
// after every workout of the batch is stored, so a crash re-imports rather than loses.
import Foundation

/// A workout as the health store reports it, already reduced to what a run needs.
public struct WorkoutSample: Equatable, Sendable {
    public var uuid: String
    public var startMs: Int64
    public var endMs: Int64
    public var distanceM: Double?
    public var isRunning: Bool
    /// The zone the workout was recorded in, when the health store knows it.
    public var zone: String?

    public init(uuid: String, startMs: Int64, endMs: Int64, distanceM: Double?, isRunning: Bool, zone: String?) {
        self.uuid = uuid
        self.startMs = startMs
        self.endMs = endMs
        self.distanceM = distanceM
        self.isRunning = isRunning
        self.zone = zone
    }
}

public struct WorkoutChanges: Sendable {
    public var added: [WorkoutSample]
    public var deletedIds: [String]
    /// Opaque anchor to persist and pass back next time.
    public var newAnchor: Data?

    public init(added: [WorkoutSample], deletedIds: [String], newAnchor: Data?) {
        self.added = added
        self.deletedIds = deletedIds
        self.newAnchor = newAnchor
    }
}

/// The health store, narrowed to run import.
public protocol WorkoutSource: Sendable {
    var isAvailable: Bool { get }
    /// Asks for read access to workouts and running distance (when run import is turned on).
    func requestAuthorization() async throws
    /// Workouts added or deleted since `anchor` (nil: everything).
    func changes(since anchor: Data?) async throws -> WorkoutChanges
    /// Calls `onChange` whenever workouts change, also in the background where allowed.
    func startObserving(_ onChange: @escaping @Sendable () async -> Void)
}

public struct ImportSummary: Equatable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var skippedNotRunning = 0

    public init() {}

    /// Counts one stored run by the core's outcome.
    mutating func count(_ ingest: RunIngest) {
        switch ingest.outcome {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }
}

public actor RunImporter {
    /// The source name the core stores runs under.
    public static let source = "healthkit"
    static let anchorKey = "talus.healthkit.anchor"
    static let enabledKey = "talus.healthkit.enabled"

    private let core: CoreService
    private let workouts: any WorkoutSource
    private let store: any KeyValueStore
    private let reminders: ReminderScheduler?

    public init(core: CoreService, workouts: any WorkoutSource, store: any KeyValueStore,
                reminders: ReminderScheduler?) {
        self.core = core
        self.workouts = workouts
        self.store = store
        self.reminders = reminders
    }

    public var isEnabled: Bool {
        store.data(forKey: Self.enabledKey) != nil
    }

    /// The runner turned run import on: ask for access now (not before), then import.
    public func enable() async throws -> ImportSummary {
        try await workouts.requestAuthorization()
        store.set(Data([1]), forKey: Self.enabledKey)
        startObserving()
        return try await importNew()
    }

    /// Registers the observer; call on every launch when import is on.
    public nonisolated func startObserving() {
        workouts.startObserving { [weak self] in
            _ = try? await self?.importNew()
        }
    }

    /// Imports what changed since the saved anchor, then reconciles reminders (a long run
    /// plans a check-in).
    @discardableResult
    public func importNew() async throws -> ImportSummary {
        let anchor = store.data(forKey: Self.anchorKey)
        let changes = try await workouts.changes(since: anchor)
        var summary = ImportSummary()
        for workout in changes.added {
            guard workout.isRunning else {
                summary.skippedNotRunning += 1
                continue
            }
            let run = RunInput(
                source: Self.source, externalId: workout.uuid,
                startMs: workout.startMs, endMs: workout.endMs,
                distanceM: workout.distanceM ?? 0, tags: [],
                zone: workout.zone ?? core.clock.zone())
            let ingest = try await core.recordRun(run)
            summary.count(ingest)
        }
        // Deleted workouts are kept as history; the runner deletes a run in History.
        if let next = changes.newAnchor {
            store.set(next, forKey: Self.anchorKey)
        }
        if summary.inserted + summary.updated > 0, let reminders {
            try await reminders.reconcile()
        }
        return summary
    }

    /// A run typed in by the runner (no health store, or a run it missed).
    public func addManual(startMs: Int64, endMs: Int64, distanceM: Double, long: Bool) async throws -> RunIngest {
        let run = RunInput(
            source: "manual", externalId: UUID().uuidString,
            startMs: startMs, endMs: endMs, distanceM: distanceM,
            tags: long ? ["long"] : [], zone: core.clock.zone())
        let ingest = try await core.recordRun(run)
        if let reminders {
            try await reminders.reconcile()
        }
        return ingest
    }
}
