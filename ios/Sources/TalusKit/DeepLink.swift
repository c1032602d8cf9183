// The core's deep links (`talus://checkin/<run-id>`, `…?reask=1`, `talus://session/today`,
// `talus://rom/retest`), the notification categories they map to and the answers a
// notification action carries. Parsing only; what an answer means is the core's business.
import Foundation

/// Where a deep link leads.
public enum Route: Equatable, Sendable {
    case today
    case session
    case checkIn(runId: String?, reask: Bool)
    case kneeToWall
    case history
    case settings
    case sync

    /// Parses a `talus://` link; nil for anything else.
    public init?(url: URL) {
        guard url.scheme == "talus" else { return nil }
        let parts = url.pathComponents.filter { $0 != "/" }
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        switch url.host {
        case "checkin":
            let reask = query.contains { $0.name == "reask" && $0.value == "1" }
            self = .checkIn(runId: parts.first, reask: reask)
        case "session":
            self = .session
        case "today":
            self = .today
        case "rom":
            self = .kneeToWall
        case "history":
            self = .history
        case "settings":
            self = .settings
        case "sync":
            self = .sync
        default:
            return nil
        }
    }

    public init?(string: String) {
        guard let url = URL(string: string) else { return nil }
        self.init(url: url)
    }
}

/// Notification categories: each carries the actions a runner can answer from the banner.
public enum NotificationCategory: String, CaseIterable, Sendable {
    /// The morning after a long run (and its re-ask): green / amber / red.
    case checkIn = "talus.checkin"
    /// The daily session: start it.
    case drills = "talus.drills"
    /// The weekly knee-to-wall retest.
    case retest = "talus.retest"

    public init(deepLink: String) {
        switch Route(string: deepLink) {
        case .checkIn?:
            self = .checkIn
        case .kneeToWall?:
            self = .retest
        default:
            self = .drills
        }
    }

    /// Action ids and whether the action opens the app.
    public var actions: [NotificationAction] {
        switch self {
        case .checkIn:
            return [.green, .amber, .red]
        case .drills:
            return [.startSession]
        case .retest:
            return [.openRetest]
        }
    }
}

public enum NotificationAction: String, CaseIterable, Sendable {
    /// "All good": answered in the background, the app is not opened.
    case green = "talus.answer.green"
    /// "A bit sore": opens the full check-in so the core gets the numbers it needs.
    case amber = "talus.answer.amber"
    /// "It hurts": opens the full check-in with the red-flag questions.
    case red = "talus.answer.red"
    case startSession = "talus.start"
    case openRetest = "talus.retest"

    /// Only a green answer is complete without more questions; the others open the app.
    public var opensApp: Bool {
        self != .green
    }
}
