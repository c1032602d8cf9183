// The first screen decided by the app model (opening, onboarding, ready) and the tabs of
// the ready app; deep links and notification answers arrive as `model.route`.
import SwiftUI
import TalusIOS
import TalusKit

private struct ShellLocaleKey: EnvironmentKey {
    static let defaultValue = "en"
}

extension EnvironmentValues {
    /// `en` or `de`, the language the core speaks to this runner.
    var shellLocale: String {
        get { self[ShellLocaleKey.self] }
        set { self[ShellLocaleKey.self] = newValue }
    }
}

/// A shell string in the environment's language.
struct Words {
    let locale: String

    func callAsFunction(_ key: ShellKey) -> String {
        ShellText.text(key, locale: locale)
    }
}

/// The core's fixed screen words (`screenWords`: buttons, pain anchors, regions), fetched
/// once per language and kept: the session screen redraws every second, and a call across
/// the FFI for the same words on every redraw adds up.
@MainActor
enum CoreWords {
    private static var cache: [String: ScreenWords] = [:]

    static func of(_ locale: String) -> ScreenWords {
        if let words = cache[locale] {
            return words
        }
        let words = screenWords(locale: locale)
        cache[locale] = words
        return words
    }
}

struct RootView: View {
    @Environment(AppModel.self) private var model
    @Environment(\.shellLocale) private var locale
    let player: ClipPlayer

    var body: some View {
        let t = Words(locale: locale)
        switch model.phase {
        case .opening:
            ProgressView()
                .accessibilityLabel(t(.appName))
        case .onboarding:
            if let services = model.services {
                OnboardingView(model: OnboardingModel(core: services.core), services: services) {
                    model.onboardingFinished()
                }
            }
        case .ready:
            if let services = model.services {
                MainTabs(services: services, player: player)
            }
        case let .failed(message):
            ContentUnavailableView(t(.appName), systemImage: "exclamationmark.triangle", description: Text(message))
        }
    }
}

struct MainTabs: View {
    @Environment(AppModel.self) private var model
    @Environment(\.shellLocale) private var locale
    let services: Services
    let player: ClipPlayer
    @State private var tab = 0
    @State private var checkIn: CheckInModel?
    @State private var session: SessionModel?

    var body: some View {
        let t = Words(locale: locale)
        TabView(selection: $tab) {
            NavigationStack {
                TodayView(model: TodayModel(core: services.core), resumable: model.resumable) { started in
                    session = started
                } startSession: {
                    try await SessionModel.start(core: services.core, devices: SessionDevices.phone(player: player))
                } followUp: {
                    FollowUpModel(core: services.core, reminders: services.reminders)
                }
                .toolbar {
                    Button(t(.checkIn)) {
                        checkIn = CheckInModel(core: services.core, reminders: services.reminders)
                    }
                }
            }
            .tabItem { Label(t(.today), systemImage: "figure.run") }
            .tag(0)
            NavigationStack {
                KneeToWallView(model: KneeToWallModel(core: services.core))
            }
            .tabItem { Label(t(.kneeToWall), systemImage: "ruler") }
            .tag(1)
            NavigationStack {
                HistoryView(model: HistoryModel(core: services.core, reminders: services.reminders))
            }
            .tabItem { Label(t(.history), systemImage: "clock.arrow.circlepath") }
            .tag(2)
            NavigationStack {
                SettingsView(services: services)
            }
            .tabItem { Label(t(.settings), systemImage: "gearshape") }
            .tag(3)
        }
        .fullScreenCover(item: $session, onDismiss: { model.sessionClosed() }) { running in
            SessionView(model: running, player: player) { session = nil }
        }
        .sheet(item: $checkIn) { model in
            NavigationStack { CheckInView(model: model) }
        }
        .onChange(of: model.route) { _, route in
            guard let route else { return }
            open(route)
            model.route = nil
        }
    }

    private func open(_ route: Route) {
        switch route {
        case .today:
            tab = 0
        case .session:
            tab = 0
            Task {
                session = try? await SessionModel.start(
                    core: services.core, devices: SessionDevices.phone(player: player))
            }
        case let .checkIn(runId, _):
            checkIn = CheckInModel(core: services.core, reminders: services.reminders, runId: runId)
        case .kneeToWall:
            tab = 1
        case .history:
            tab = 2
        case .settings, .sync:
            tab = 3
        }
    }
}
