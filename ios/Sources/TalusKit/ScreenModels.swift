// View models for the screens that read a record from the core and send one action back:
// today (J2), morning check-in (J4), knee-to-wall (J5), history (J6), settings (J1.3).
// Each loads off the main actor through CoreService and publishes the core's read model.
import Foundation
import Observation

// MARK: Today

@MainActor
@Observable
public final class TodayModel {
    public private(set) var plan: PlanInfo?
    public private(set) var errorMessage: String?
    public private(set) var loading = false
    private let core: CoreService

    public init(core: CoreService) {
        self.core = core
    }

    /// Plans the day (the core stores its level decisions) and shows why.
    public func load() async {
        loading = true
        defer { loading = false }
        do {
            plan = try await core.today()
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    /// Why the day is what it is, in the core's words.
    public var reasons: [ReasonInfo] {
        plan?.reasons ?? []
    }

    /// Level changes decided for today: drill, from what to what (levels counted from 1).
    public var levelChanges: [LevelInfo] {
        plan?.levels.filter { $0.change != .hold } ?? []
    }

    /// "3 × 10" or "3 × 30 s": the dose as the core planned it.
    public static func dose(_ item: PlanItemInfo) -> String {
        if let reps = item.reps {
            return "\(item.sets) × \(reps)"
        }
        if let hold = item.holdMs {
            return "\(item.sets) × \(hold / 1000) s"
        }
        return "\(item.sets) ×"
    }

    /// Paused after severe pain: the follow-up screening is the way back to drills.
    public var needsFollowUp: Bool {
        plan?.variant == .paused
    }

    /// A session can start when the plan has drills (a locked or rest day has none).
    public var canStart: Bool {
        !(plan?.items.isEmpty ?? true)
    }
}

// MARK: Morning check-in

@MainActor
@Observable
public final class CheckInModel {
    public var painCalf = 0
    public var painAchilles = 0
    public var painAnkle = 0
    public var stiffnessCalf = 0
    public var stiffnessAchilles = 0
    public var stiffnessAnkle = 0
    public var redFlagsYes: Set<String> = []
    public private(set) var questions: [QuestionInfo] = []
    public private(set) var result: MorningInfo?
    public private(set) var errorMessage: String?
    /// The run this check-in follows, from the notification's deep link.
    public let runId: String?
    private let core: CoreService
    private let reminders: ReminderScheduler?

    public init(core: CoreService, reminders: ReminderScheduler?, runId: String? = nil) {
        self.core = core
        self.reminders = reminders
        self.runId = runId
    }

    public func load() async {
        questions = await core.screeningQuestions()
    }

    /// Sends the answers; the core returns the traffic light and why, and locks on a red flag.
    public func submit() async {
        let input = CheckInInput(
            atMs: core.clock.nowMs(), zone: core.clock.zone(),
            painCalf: numericCast(painCalf), painAchilles: numericCast(painAchilles),
            painAnkle: numericCast(painAnkle), stiffnessCalf: numericCast(stiffnessCalf),
            stiffnessAchilles: numericCast(stiffnessAchilles), stiffnessAnkle: numericCast(stiffnessAnkle),
            redFlagsYes: questions.map { $0.id }.filter { redFlagsYes.contains($0) }, runId: runId)
        do {
            result = try await core.morningCheckin(input)
            errorMessage = nil
            try await reminders?.reconcile()
        } catch {
            errorMessage = describe(error)
        }
    }
}

extension CheckInModel: Identifiable {
    public nonisolated var id: ObjectIdentifier { ObjectIdentifier(self) }
}

// MARK: Knee-to-wall

/// One point of the chart.
public struct RomChartPoint: Identifiable, Equatable, Sendable {
    public var id: String
    public var date: Date
    public var cm: Double
    public var side: Side

    public init(id: String, date: Date, cm: Double, side: Side) {
        self.id = id
        self.date = date
        self.cm = cm
        self.side = side
    }
}

@MainActor
@Observable
public final class KneeToWallModel {
    /// The core's knee-to-wall report: per side the results, the change and whether it is
    /// real (beyond the MDC); the side-to-side difference and its flag; retest due; reasons.
    public private(set) var report: KneeToWallReport?
    public private(set) var errorMessage: String?
    private let core: CoreService

    public init(core: CoreService) {
        self.core = core
    }

    public var left: [RomPoint] { report?.left.points ?? [] }
    public var right: [RomPoint] { report?.right.points ?? [] }

    public func load() async {
        do {
            report = try await core.kneeToWallReport()
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    /// Stores one measurement (the core rejects impossible values with a clear error).
    public func record(side: Side, cm: Double) async {
        do {
            _ = try await core.recordKneeToWall(side: side, cm: cm)
            await load()
        } catch {
            errorMessage = describe(error)
        }
    }

    /// Both sides over time, for the chart.
    public var chartPoints: [RomChartPoint] {
        (left + right).map { RomChartPoint(id: $0.id, date: date(fromMs: $0.atMs), cm: $0.cm, side: $0.side) }
            .sorted { $0.date < $1.date }
    }
}

// MARK: History

@MainActor
@Observable
public final class HistoryModel {
    public private(set) var sessions: [SessionInfo] = []
    /// Runs newest first, each with whether it counted as long and the core's reasons.
    public private(set) var runDetails: [RunDetail] = []
    public private(set) var checkins: [CheckInInfo] = []
    public private(set) var kneeToWall: [RomPoint] = []

    public var runs: [RunInfo] { runDetails.map { $0.run } }
    public private(set) var errorMessage: String?
    private let core: CoreService
    private let reminders: ReminderScheduler?

    public init(core: CoreService, reminders: ReminderScheduler? = nil) {
        self.core = core
        self.reminders = reminders
    }

    public func delete(session: SessionInfo) async {
        await change { try await self.core.deleteSession(id: session.id) }
    }

    /// A deleted run no longer plans a check-in: reminders are reconciled after it.
    public func delete(run: RunInfo) async {
        await change {
            try await self.core.deleteRun(id: run.id)
            try await self.reminders?.reconcile()
        }
    }

    /// A deleted check-in no longer shapes the plan or a re-ask: reminders are reconciled.
    public func delete(checkin: CheckInInfo) async {
        await change {
            try await self.core.deleteCheckin(id: checkin.id)
            try await self.reminders?.reconcile()
        }
    }

    public func delete(kneeToWall point: RomPoint) async {
        await change { try await self.core.deleteKneeToWall(id: point.id) }
    }

    /// Corrects a run's distance, end and long tag (its source and external id name it);
    /// the correction syncs, and reminders follow the new length.
    public func correct(run: RunInfo, distanceM: Double, endMs: Int64, long: Bool) async {
        await change {
            var tags = run.tags.filter { $0 != "long" }
            if long { tags.append("long") }
            _ = try await self.core.correctRun(id: run.id, RunInput(
                source: run.source, externalId: run.externalId, startMs: run.startMs,
                endMs: endMs, distanceM: distanceM, tags: tags, zone: run.zone))
            try await self.reminders?.reconcile()
        }
    }

    private func change(_ body: @escaping @MainActor () async throws -> Void) async {
        do {
            try await body()
            await load()
        } catch {
            errorMessage = describe(error)
        }
    }

    public func load(days: Int64 = 90) async {
        do {
            sessions = try await core.recentSessions(limit: 100)
            let left = try await core.kneeToWallSeries(side: .left)
            let right = try await core.kneeToWallSeries(side: .right)
            kneeToWall = (left + right).sorted { $0.atMs > $1.atMs }
            let now = core.clock.nowMs()
            let from = now - days * 86_400_000
            runDetails = try await core.runHistory(fromMs: from, toMs: now + 1)
            checkins = try await core.checkins(fromMs: from, toMs: now + 1)
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }
}

// MARK: Settings and profile

@MainActor
@Observable
public final class SettingsModel {
    /// The settings being edited; saved with `save()`.
    public var settings: SettingsInfo?
    public private(set) var errorMessage: String?
    public private(set) var saved = false
    /// Equipment the catalog's drills use, in catalog order (what is worth asking about).
    public private(set) var equipmentOptions: [Equipment] = []
    /// What the catalog's drills work on, in catalog order.
    public private(set) var goalOptions: [Target] = []
    private let core: CoreService
    private let reminders: ReminderScheduler?

    public init(core: CoreService, reminders: ReminderScheduler?) {
        self.core = core
        self.reminders = reminders
    }

    public func load() async {
        do {
            settings = try await core.settings()
            let drills = await core.drills()
            equipmentOptions = Self.unique(drills.flatMap { $0.equipment })
            goalOptions = Self.unique(drills.flatMap { $0.targets })
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    public func has(_ item: Equipment) -> Bool { settings?.equipment.contains(item) ?? false }

    public func toggle(_ item: Equipment) {
        guard var current = settings?.equipment else { return }
        if let i = current.firstIndex(of: item) { current.remove(at: i) } else { current.append(item) }
        settings?.equipment = current
    }

    public func has(_ goal: Target) -> Bool { settings?.goals.contains(goal) ?? false }

    public func toggle(_ goal: Target) {
        guard var current = settings?.goals else { return }
        if let i = current.firstIndex(of: goal) { current.remove(at: i) } else { current.append(goal) }
        settings?.goals = current
    }

    static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }

    /// Saves (the core validates every field) and re-plans reminders for the new windows.
    public func save() async {
        guard let settings else { return }
        do {
            try await core.setSettings(settings)
            saved = true
            errorMessage = nil
            try await reminders?.reconcile()
        } catch {
            saved = false
            errorMessage = describe(error)
        }
    }

    /// The runner's zone from the system, as J1 asks.
    public func useSystemZone() {
        settings?.homeZone = core.clock.zone()
    }
}
