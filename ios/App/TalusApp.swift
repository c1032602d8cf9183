// The app: wires the phone's adapters into AppModel, registers the notification delegate
// and the background refresh task at launch, and turns scene and clock events into core
// calls (pause on background; reconcile reminders on launch, on a significant time change,
// on a time-zone change and in the refresh task).
import BackgroundTasks
import SwiftUI
import TalusIOS
import TalusKit
import UIKit
import UserNotifications

/// Identifier of the background refresh task (also in Info.plist's permitted identifiers).
let refreshTaskId = "app.talus.refresh"

@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate {
    let model: AppModel
    let player = ClipPlayer()
    private var notificationDelegate: NotificationDelegate?
    private var clockObservers: [NSObjectProtocol] = []

    override init() {
        let store = UserDefaultsStore()
        let clock = SystemClock()
        let locale = clock.locale()
        let notifications = UserNotificationCenterAdapter { action in
            ShellText.text(AppDelegate.actionTitle(action), locale: locale)
        }
        model = AppModel(platform: Platform(
            clock: clock, notifications: notifications, workouts: HealthKitWorkouts(),
            syncFolders: PhoneSyncFolders(store: store), store: store))
        super.init()
    }

    func application(_ application: UIApplication,
                     didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        // The delegate must be set before launch finishes, or a tapped action is lost.
        let delegate = NotificationDelegate { [model] action, link in
            await model.respond(actionId: action, deepLink: link)
        }
        notificationDelegate = delegate
        UNUserNotificationCenter.current().delegate = delegate
        BGTaskScheduler.shared.register(forTaskWithIdentifier: refreshTaskId, using: nil) { [model] task in
            guard let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            AppDelegate.scheduleRefresh()
            let work = Task { @MainActor in
                let ok = await model.backgroundRefresh()
                refresh.setTaskCompleted(success: ok)
            }
            refresh.expirationHandler = { work.cancel() }
        }
        // Open the profile now: a notification action or the refresh task may have launched
        // the app in the background, where no scene (and no `.task`) runs.
        model.beginLaunch { [player] in SessionDevices.phone(player: player) }
        let center = NotificationCenter.default
        for name in [UIApplication.significantTimeChangeNotification, Notification.Name.NSSystemTimeZoneDidChange] {
            clockObservers.append(center.addObserver(forName: name, object: nil, queue: .main) { [model] _ in
                Task { @MainActor in await model.clockChanged() }
            })
        }
        return true
    }

    /// One pending refresh at a time; the system decides when it runs.
    nonisolated static func scheduleRefresh() {
        let request = BGAppRefreshTaskRequest(identifier: refreshTaskId)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 6 * 3600)
        try? BGTaskScheduler.shared.submit(request)
    }

    nonisolated static func actionTitle(_ action: NotificationAction) -> ShellKey {
        switch action {
        case .green: return .answerGreen
        case .amber: return .answerAmber
        case .red: return .answerRed
        case .startSession: return .startAction
        case .openRetest: return .retestAction
        }
    }
}

@main
struct TalusApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            RootView(player: delegate.player)
                .environment(delegate.model)
                .environment(\.shellLocale, SystemClock().locale())
                .onOpenURL { url in delegate.model.open(url) }
                .task {
                    await delegate.model.ensureLaunched { [player = delegate.player] in
                        SessionDevices.phone(player: player)
                    }
                    AppDelegate.scheduleRefresh()
                }
        }
        .onChange(of: scenePhase) { _, phase in
            if phase == .active {
                Task { await delegate.model.clockChanged() }
            }
        }
    }
}
