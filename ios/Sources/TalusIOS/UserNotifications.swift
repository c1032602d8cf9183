// UNUserNotificationCenter behind NotificationScheduling, and the delegate that answers
// notification actions. Requests fire at the core's UTC instant: calendar components from a
// UTC calendar that include the time zone keep the instant when the phone changes zone
// (the core already chose the local time and re-plans on a zone change).
#if os(iOS)
import Foundation
import TalusKit
import UserNotifications

public final class UserNotificationCenterAdapter: NotificationScheduling, @unchecked Sendable {
    private let center: UNUserNotificationCenter
    private let localizer: @Sendable (NotificationAction) -> String

    /// `localizer` gives each action's button title in the runner's language.
    public init(center: UNUserNotificationCenter = .current(),
                localizer: @escaping @Sendable (NotificationAction) -> String) {
        self.center = center
        self.localizer = localizer
    }

    public func authorization() async -> NotificationAuthorization {
        let settings = await center.notificationSettings()
        switch settings.authorizationStatus {
        case .notDetermined:
            return .notDetermined
        case .denied:
            return .denied
        case .authorized, .provisional, .ephemeral:
            return .authorized
        @unknown default:
            return .denied
        }
    }

    public func requestAuthorization() async throws -> Bool {
        try await center.requestAuthorization(options: [.alert, .sound])
    }

    public func registerCategories(_ categories: [NotificationCategory]) {
        let registered = categories.map { category in
            UNNotificationCategory(
                identifier: category.rawValue,
                actions: category.actions.map { action in
                    UNNotificationAction(
                        identifier: action.rawValue, title: localizer(action),
                        options: action.opensApp ? [.foreground] : [])
                },
                intentIdentifiers: [], options: [])
        }
        center.setNotificationCategories(Set(registered))
    }

    public func add(_ notification: PlannedNotification) async throws {
        let content = UNMutableNotificationContent()
        content.title = notification.title
        content.body = notification.body
        content.sound = .default
        content.categoryIdentifier = notification.category.rawValue
        content.userInfo = ["deepLink": notification.deepLink]
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let fireDate = date(fromMs: notification.fireAtMs)
        let components = utc.dateComponents(
            [.timeZone, .year, .month, .day, .hour, .minute, .second], from: fireDate)
        let trigger = UNCalendarNotificationTrigger(dateMatching: components, repeats: false)
        try await center.add(UNNotificationRequest(
            identifier: notification.id, content: content, trigger: trigger))
    }

    public func remove(ids: [String]) {
        center.removePendingNotificationRequests(withIdentifiers: ids)
    }

    public func pendingIds() async -> Set<String> {
        Set(await center.pendingNotificationRequests().map(\.identifier))
    }
}

/// Answers notification actions without opening the app where the answer is complete, and
/// routes everything else. Set as the center's delegate in didFinishLaunching.
public final class NotificationDelegate: NSObject, UNUserNotificationCenterDelegate, @unchecked Sendable {
    private let respond: @Sendable (String?, String) async -> Void

    /// `respond(actionId, deepLink)` is the app model's handler.
    public init(respond: @escaping @Sendable (String?, String) async -> Void) {
        self.respond = respond
    }

    // Completion-handler forms, nonisolated: the system may call them off the main thread.
    public nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        let link = response.notification.request.content.userInfo["deepLink"] as? String ?? "talus://today"
        let action: String? = response.actionIdentifier == UNNotificationDefaultActionIdentifier
            ? nil : response.actionIdentifier
        let respond = self.respond
        Task {
            await respond(action, link)
            completionHandler()
        }
    }

    public nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification,
        withCompletionHandler completionHandler: @escaping (UNNotificationPresentationOptions) -> Void
    ) {
        completionHandler([.banner, .sound])
    }
}
#endif
