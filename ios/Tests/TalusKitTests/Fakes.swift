// Fakes for the platform side: a clock the test moves, a player, speaker, idle timer and
// tick scheduler that record what the view model asked, a notification center that holds
// requests in memory, and a health store that serves a fixed list of workouts. The core
// behind them is the real library, opened on a temporary folder.
import Foundation
@testable import TalusKit

/// 2026-05-28T20:26:40Z, as in the Kotlin journey tests.
let testNow: Int64 = 1_780_000_000_000
let hourMs: Int64 = 3_600_000

final class TestClock: ShellClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    let zoneName: String
    let language: String

    init(now: Int64 = testNow, zone: String = "Europe/Berlin", locale: String = "en") {
        self.now = now
        self.zoneName = zone
        self.language = locale
    }

    func nowMs() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }

    func advance(ms: Int64) {
        lock.lock()
        now += ms
        lock.unlock()
    }

    func set(_ ms: Int64) {
        lock.lock()
        now = ms
        lock.unlock()
    }

    func zone() -> String { zoneName }

    func locale() -> String { language }
}

func temporaryDirectory(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("talus-tests-\(name)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func openCore(_ clock: TestClock, name: String = "profile") throws -> CoreService {
    try CoreService(directory: try temporaryDirectory(name).appendingPathComponent("p"), clock: clock)
}

/// Answers every screening question "no" so drills are not locked.
func screenClear(_ core: CoreService) async throws {
    let questions = await core.screeningQuestions()
    _ = try await core.submitScreening(questions.map { OnboardingModel.coreAnswer($0.id, .no) })
}

@MainActor
final class FakePlayer: SessionPlayer {
    var onPosition: ((Int64) -> Void)?
    var onEnded: (() -> Void)?
    private(set) var played: [ClipRequest] = []
    private(set) var paused = false
    private(set) var stopped = false

    func play(_ clip: ClipRequest) {
        played.append(clip)
        paused = false
    }

    func pause() { paused = true }
    func resume() { paused = false }
    func stop() { stopped = true }

    /// The non-looping segment reached its end.
    func endCurrent() { onEnded?() }
}

@MainActor
final class FakeSpeaker: CueSpeaker {
    private(set) var spoken: [(String, String)] = []
    private(set) var stops = 0

    func speak(_ text: String, locale: String) { spoken.append((text, locale)) }
    func stopSpeaking() { stops += 1 }
}

@MainActor
final class FakeIdleTimer: IdleTimerControl {
    private(set) var keepAwake = false
    private(set) var changes: [Bool] = []

    func setKeepAwake(_ keepAwake: Bool) {
        self.keepAwake = keepAwake
        changes.append(keepAwake)
    }
}

/// Holds the scheduled tick; the test fires it after moving the clock.
@MainActor
final class ManualTicks: TickScheduler {
    private(set) var delayMs: Int64?
    private var fire: (@MainActor () -> Void)?

    func schedule(afterMs delayMs: Int64, _ fire: @escaping @MainActor () -> Void) {
        self.delayMs = delayMs
        self.fire = fire
    }

    func cancel() {
        delayMs = nil
        fire = nil
    }

    /// Runs the pending tick (if any); returns whether there was one.
    @discardableResult
    func fireNow() -> Bool {
        guard let fire else { return false }
        self.fire = nil
        delayMs = nil
        fire()
        return true
    }
}

@MainActor
struct FakeDevices {
    let player = FakePlayer()
    let speaker = FakeSpeaker()
    let idle = FakeIdleTimer()
    let ticks = ManualTicks()

    var devices: SessionDevices {
        SessionDevices(player: player, speaker: speaker, idleTimer: idle, ticks: ticks)
    }
}

final class FakeNotificationCenter: NotificationScheduling, @unchecked Sendable {
    private let lock = NSLock()
    var status: NotificationAuthorization
    var grant: Bool
    private(set) var authorizationRequests = 0
    private(set) var requests: [String: PlannedNotification] = [:]
    private(set) var categories: [NotificationCategory] = []

    init(status: NotificationAuthorization = .notDetermined, grant: Bool = true) {
        self.status = status
        self.grant = grant
    }

    func authorization() async -> NotificationAuthorization { status }

    func requestAuthorization() async throws -> Bool {
        authorizationRequests += 1
        status = grant ? .authorized : .denied
        return grant
    }

    func registerCategories(_ categories: [NotificationCategory]) {
        self.categories = categories
    }

    func add(_ notification: PlannedNotification) async throws {
        lock.lock()
        requests[notification.id] = notification
        lock.unlock()
    }

    func remove(ids: [String]) {
        lock.lock()
        for id in ids { requests.removeValue(forKey: id) }
        lock.unlock()
    }

    func pendingIds() async -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return Set(requests.keys)
    }

    /// The OS delivered a notification: it is no longer pending.
    func deliver(_ id: String) {
        lock.lock()
        requests.removeValue(forKey: id)
        lock.unlock()
    }
}

final class FakeWorkouts: WorkoutSource, @unchecked Sendable {
    var isAvailable = true
    var workouts: [WorkoutSample]
    private(set) var authorizationRequests = 0
    private(set) var anchorsSeen: [Data?] = []

    init(_ workouts: [WorkoutSample]) {
        self.workouts = workouts
    }

    func requestAuthorization() async throws {
        authorizationRequests += 1
    }

    /// The anchor is the number of workouts already handed out, like HealthKit's position.
    func changes(since anchor: Data?) async throws -> WorkoutChanges {
        anchorsSeen.append(anchor)
        let seen = anchor.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let fresh = Array(workouts.dropFirst(seen))
        return WorkoutChanges(added: fresh, deletedIds: [], newAnchor: Data(String(workouts.count).utf8))
    }

    func startObserving(_ onChange: @escaping @Sendable () async -> Void) {}
}

/// A long run (110 min, 21.5 km) that ended an hour before `testNow`.
func longRun(uuid: String = "HK-LONG-1") -> WorkoutSample {
    WorkoutSample(uuid: uuid, startMs: testNow - 3 * hourMs, endMs: testNow - 3 * hourMs + 110 * 60_000,
                  distanceM: 21_500, isRunning: true, zone: "Europe/Berlin")
}
