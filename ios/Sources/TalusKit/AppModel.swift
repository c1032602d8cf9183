// The app's composition root and router: opens the profile off the main actor, wires the
// services to the platform adapters it is given, decides which screen a deep link or a
// notification opens, and runs the launch and clock-change duties (resume a session,
// reconcile reminders, observe the health store). Platform types stay in the adapters.
import Foundation
import Observation

/// The device capabilities the app needs, injected (TalusIOS on a phone, fakes in tests).
public struct Platform: Sendable {
    public var clock: any ShellClock
    public var notifications: any NotificationScheduling
    public var workouts: any WorkoutSource
    public var syncFolders: any SyncFolderAccess
    public var store: any KeyValueStore

    public init(clock: any ShellClock, notifications: any NotificationScheduling, workouts: any WorkoutSource,
                syncFolders: any SyncFolderAccess, store: any KeyValueStore) {
        self.clock = clock
        self.notifications = notifications
        self.workouts = workouts
        self.syncFolders = syncFolders
        self.store = store
    }
}

/// Everything that talks to the core, created once the profile is open.
public struct Services: Sendable {
    public let core: CoreService
    public let reminders: ReminderScheduler
    public let runs: RunImporter
    public let sync: SyncBridge
    public let responder: NotificationResponder

    public init(core: CoreService, platform: Platform) {
        self.core = core
        reminders = ReminderScheduler(core: core, center: platform.notifications, store: platform.store)
        runs = RunImporter(core: core, workouts: platform.workouts, store: platform.store, reminders: reminders)
        sync = SyncBridge(core: core, access: platform.syncFolders, store: platform.store)
        responder = NotificationResponder(core: core, reminders: reminders)
    }
}

@MainActor
@Observable
public final class AppModel {
    public enum Phase: Equatable {
        case opening
        case onboarding
        case ready
        case failed(String)
    }

    public private(set) var phase: Phase = .opening
    public private(set) var services: Services?
    /// The screen to show next (set by deep links and notifications; the view clears it).
    public var route: Route?
    /// False once the runner declined notifications while reminders were planned.
    public private(set) var notificationsAllowed = true
    /// A session that survived the app being killed, offered on launch.
    public private(set) var resumable: SessionModel?

    private let platform: Platform
    private let directory: URL?
    @ObservationIgnored private var launching: Task<Void, Never>?

    public init(platform: Platform, directory: URL? = nil) {
        self.platform = platform
        self.directory = directory
    }

    /// Opens the profile once, whoever asks first: the scene's `.task`, or the delegate when
    /// the system launched the app in the background to answer a notification action or to
    /// run the refresh task (no scene exists then). Later callers wait for the same launch.
    public func ensureLaunched(devices: @escaping @MainActor () -> SessionDevices) async {
        beginLaunch(devices: devices)
        await launching?.value
    }

    /// Starts the launch without waiting (from `didFinishLaunching`, before any delegate
    /// callback can arrive); notification answers and refreshes wait for it.
    public func beginLaunch(devices: @escaping @MainActor () -> SessionDevices) {
        if launching == nil {
            launching = Task { @MainActor in
                await self.launch(devices: devices)
            }
        }
    }

    /// Launch: open the profile off the main actor, then decide the first screen.
    func launch(devices: @MainActor () -> SessionDevices) async {
        do {
            let dir = try directory ?? CoreService.defaultDirectory()
            let clock = platform.clock
            let core = try await Task.detached { try CoreService(directory: dir, clock: clock) }.value
            let services = Services(core: core, platform: platform)
            self.services = services
            phase = platform.store.data(forKey: Self.onboardedKey) == nil ? .onboarding : .ready
            // A snapshot that cannot be resumed must not keep the app from opening.
            resumable = try? await SessionModel.resume(core: core, devices: devices())
            let importOn = await services.runs.isEnabled
            if importOn {
                services.runs.startObserving()
            }
            await reconcileQuietly()
        } catch {
            phase = .failed(describe(error))
        }
    }

    /// Set once the runner went through welcome, screening and profile on this device; a
    /// runner who quit half-way starts onboarding again (the core keeps any lock).
    static let onboardedKey = "talus.onboarded"

    /// The session screen closed: a session offered for resuming is over or running.
    public func sessionClosed() {
        resumable = nil
    }

    public func onboardingFinished() {
        platform.store.set(Data([1]), forKey: Self.onboardedKey)
        phase = .ready
    }

    /// A `talus://` link from outside (a notification tap, a widget).
    public func open(_ url: URL) {
        if let route = Route(url: url) {
            self.route = route
        }
    }

    /// A notification action or tap. Returns without a route when it was answered in the
    /// background.
    public func respond(actionId: String?, deepLink: String) async {
        await launching?.value
        guard let services else { return }
        do {
            let reply = try await services.responder.respond(actionId: actionId, deepLink: deepLink)
            if let next = reply.route {
                route = next
            }
        } catch {
            route = Route(string: deepLink)
        }
    }

    /// The clock jumped, the zone changed, or the background refresh ran: re-plan reminders.
    public func clockChanged() async {
        await launching?.value
        await reconcileQuietly()
    }

    /// Called by the background refresh task: import runs, then reconcile.
    public func backgroundRefresh() async -> Bool {
        await launching?.value
        guard let services else { return false }
        do {
            let importOn = await services.runs.isEnabled
            if importOn {
                try await services.runs.importNew()
            }
            try await services.reminders.reconcile()
            return true
        } catch {
            return false
        }
    }

    private func reconcileQuietly() async {
        if let outcome = try? await services?.reminders.reconcile() {
            notificationsAllowed = !outcome.notAllowed
        }
    }
}
