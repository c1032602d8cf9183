// Answers a tapped notification or one of its actions. A green answer to the morning
// check-in is recorded in the background (no pain, no stiffness, no red flag: exactly what
// "all good" says) and the reminders are reconciled, so the app never opens; every other
// action returns the route to open. The traffic light itself is decided by the core.
import Foundation

public struct NotificationReply: Equatable, Sendable {
    /// The screen to open, or nil when the answer was handled in the background.
    public var route: Route?
    /// The core's traffic light for a background answer.
    public var recorded: Bool

    public init(route: Route?, recorded: Bool) {
        self.route = route
        self.recorded = recorded
    }
}

public struct NotificationResponder: Sendable {
    private let core: CoreService
    private let reminders: ReminderScheduler

    public init(core: CoreService, reminders: ReminderScheduler) {
        self.core = core
        self.reminders = reminders
    }

    /// `actionId` is nil for a plain tap on the banner.
    public func respond(actionId: String?, deepLink: String) async throws -> NotificationReply {
        let route = Route(string: deepLink) ?? .today
        guard let id = actionId, let action = NotificationAction(rawValue: id) else {
            return NotificationReply(route: route, recorded: false)
        }
        switch action {
        case .green:
            var runId: String?
            if case let .checkIn(id, _) = route {
                runId = id
            }
            let now = core.clock.nowMs()
            let allGood = CheckInInput(
                atMs: now, zone: core.clock.zone(),
                painCalf: 0, painAchilles: 0, painAnkle: 0,
                stiffnessCalf: 0, stiffnessAchilles: 0, stiffnessAnkle: 0,
                redFlagsYes: [], runId: runId)
            _ = try await core.morningCheckin(allGood)
            try await reminders.reconcile()
            return NotificationReply(route: nil, recorded: true)
        case .amber, .red:
            if case let .checkIn(id, reask) = route {
                return NotificationReply(route: .checkIn(runId: id, reask: reask), recorded: false)
            }
            return NotificationReply(route: .checkIn(runId: nil, reask: false), recorded: false)
        case .startSession:
            return NotificationReply(route: .session, recorded: false)
        case .openRetest:
            return NotificationReply(route: .kneeToWall, recorded: false)
        }
    }
}
