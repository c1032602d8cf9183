// Reminders, run import, notification answers, onboarding, sync and export against the real
// core with fake OS services.
import XCTest
@testable import TalusKit

final class ReminderSchedulerTests: XCTestCase {
    func testPermissionIsAskedWhenTheFirstReminderIsPlannedAndReconcilingTwiceChangesNothing() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let center = FakeNotificationCenter()
        let store = MemoryStore()
        let reminders = ReminderScheduler(core: core, center: center, store: store)
        XCTAssertEqual(Set(center.categories), Set(NotificationCategory.allCases))

        let importer = RunImporter(core: core, workouts: FakeWorkouts([longRun()]), store: store, reminders: reminders)
        let summary = try await importer.importNew()
        XCTAssertEqual(summary.inserted, 1)
        XCTAssertEqual(center.authorizationRequests, 1, "asked once, when there was something to schedule")
        let checkIns = center.requests.values.filter { $0.category == .checkIn }
        XCTAssertEqual(checkIns.count, 1, "one check-in the morning after the long run")
        XCTAssertTrue(checkIns.allSatisfy { $0.fireAtMs >= longRun().endMs + 8 * hourMs }, "≥ 8 h after the run")

        let again = try await reminders.reconcile()
        XCTAssertEqual(again.added + again.replaced + again.cancelled, 0)
        XCTAssertEqual(again.unchanged, center.requests.count)
        XCTAssertEqual(center.authorizationRequests, 1)
    }

    func testDeniedNotificationsScheduleNothing() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let center = FakeNotificationCenter(status: .notDetermined, grant: false)
        let store = MemoryStore()
        let reminders = ReminderScheduler(core: core, center: center, store: store)
        _ = try await core.recordRun(RunInput(
            source: "manual", externalId: "r1", startMs: testNow - 3 * hourMs,
            endMs: testNow - 3 * hourMs + 110 * 60_000, distanceM: 21_500, tags: ["long"], zone: "Europe/Berlin"))
        let outcome = try await reminders.reconcile()
        XCTAssertTrue(outcome.notAllowed)
        XCTAssertTrue(center.requests.isEmpty)
    }

    func testADeliveredReminderIsNotReAddedAndAZoneChangeReplansWithoutDuplicates() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let center = FakeNotificationCenter(status: .authorized)
        let store = MemoryStore()
        let reminders = ReminderScheduler(core: core, center: center, store: store)
        let importer = RunImporter(core: core, workouts: FakeWorkouts([longRun()]), store: store, reminders: reminders)
        try await importer.importNew()
        guard let checkIn = center.requests.values.first(where: { $0.category == .checkIn }) else {
            return XCTFail("no check-in planned")
        }
        // Morning comes, the OS shows it and drops it from the pending list.
        clock.set(checkIn.fireAtMs + 60_000)
        center.deliver(checkIn.id)
        try await reminders.reconcile()
        XCTAssertNil(center.requests[checkIn.id], "a delivered check-in is not shown twice")
        let ids = center.requests.values.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count)
    }
}

final class RunImporterTests: XCTestCase {
    func testImportIsIdempotentOnTheWorkoutAndPersistsTheAnchor() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        let store = MemoryStore()
        let walk = WorkoutSample(uuid: "HK-WALK", startMs: testNow - 2 * hourMs, endMs: testNow - hourMs,
                                 distanceM: 4_000, isRunning: false, zone: nil)
        let source = FakeWorkouts([longRun(), walk])
        let importer = RunImporter(core: core, workouts: source, store: store, reminders: nil)

        let first = try await importer.importNew()
        XCTAssertEqual(first.inserted, 1)
        XCTAssertEqual(first.skippedNotRunning, 1)
        XCTAssertNotNil(store.data(forKey: RunImporter.anchorKey))

        // The anchor moves on: nothing new is handed out the second time.
        let second = try await importer.importNew()
        XCTAssertEqual(second, ImportSummary())
        XCTAssertEqual(source.anchorsSeen.count, 2)
        XCTAssertNotNil(source.anchorsSeen[1])

        // Without the anchor (reinstall), the same workout comes again and changes nothing.
        store.set(nil, forKey: RunImporter.anchorKey)
        let third = try await importer.importNew()
        XCTAssertEqual(third.inserted, 0)
        XCTAssertEqual(third.unchanged, 1)
        let runs = try await core.runs(fromMs: testNow - 24 * hourMs, toMs: testNow)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.externalId, "HK-LONG-1")
    }

    func testEnablingAsksForHealthAccessThenImports() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        let store = MemoryStore()
        let source = FakeWorkouts([longRun()])
        let importer = RunImporter(core: core, workouts: source, store: store, reminders: nil)
        let enabledBefore = await importer.isEnabled
        XCTAssertFalse(enabledBefore)
        XCTAssertEqual(source.authorizationRequests, 0, "not asked before the runner turns import on")
        let summary = try await importer.enable()
        XCTAssertEqual(source.authorizationRequests, 1)
        XCTAssertEqual(summary.inserted, 1)
        let enabledAfter = await importer.isEnabled
        XCTAssertTrue(enabledAfter)
    }

    func testManualRunsAreStoredAndBadOnesRefused() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        let importer = RunImporter(core: core, workouts: FakeWorkouts([]), store: MemoryStore(), reminders: nil)
        let ingest = try await importer.addManual(startMs: testNow - 2 * hourMs, endMs: testNow - hourMs,
                                                  distanceM: 12_000, long: true)
        XCTAssertEqual(ingest.run.tags, ["long"])
        do {
            _ = try await importer.addManual(startMs: testNow, endMs: testNow - hourMs, distanceM: 5_000, long: false)
            XCTFail("an end before the start was accepted")
        } catch {}
        let runs = try await core.runs(fromMs: 0, toMs: testNow + 1)
        XCTAssertEqual(runs.count, 1)
    }
}

final class NotificationResponderTests: XCTestCase {
    func testDeepLinksParse() {
        XCTAssertEqual(Route(string: "talus://checkin/abc"), .checkIn(runId: "abc", reask: false))
        XCTAssertEqual(Route(string: "talus://checkin/abc?reask=1"), .checkIn(runId: "abc", reask: true))
        XCTAssertEqual(Route(string: "talus://session/today"), .session)
        XCTAssertEqual(Route(string: "talus://rom/retest"), .kneeToWall)
        XCTAssertNil(Route(string: "https://example.com/checkin/abc"))
        XCTAssertEqual(NotificationCategory(deepLink: "talus://checkin/abc"), .checkIn)
        XCTAssertEqual(NotificationCategory(deepLink: "talus://rom/retest"), .retest)
        XCTAssertEqual(NotificationCategory.checkIn.actions, [.green, .amber, .red])
    }

    func testGreenIsAnsweredInTheBackgroundAndAmberOpensTheCheckIn() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let center = FakeNotificationCenter(status: .authorized)
        let reminders = ReminderScheduler(core: core, center: center, store: MemoryStore())
        let responder = NotificationResponder(core: core, reminders: reminders)

        let amber = try await responder.respond(actionId: NotificationAction.amber.rawValue,
                                                deepLink: "talus://checkin/run-1")
        XCTAssertEqual(amber, NotificationReply(route: .checkIn(runId: "run-1", reask: false), recorded: false))

        let before = try await core.today()
        XCTAssertTrue(before.reasons.contains { $0.code == "no_checkin_today" })
        let green = try await responder.respond(actionId: NotificationAction.green.rawValue,
                                                deepLink: "talus://checkin/run-1")
        XCTAssertEqual(green, NotificationReply(route: nil, recorded: true))
        // The core now has this morning's answer: today's plan is no longer "no check-in".
        let plan = try await core.today()
        XCTAssertFalse(plan.reasons.contains { $0.code == "no_checkin_today" })

        let tap = try await responder.respond(actionId: nil, deepLink: "talus://session/today")
        XCTAssertEqual(tap.route, .session)
    }
}

@MainActor
final class OnboardingModelTests: XCTestCase {
    func testAllNoLeadsToTheProfileWithACounter() async throws {
        let model = OnboardingModel(core: try openCore(TestClock()))
        XCTAssertEqual(model.stage, .welcome)
        await model.begin()
        XCTAssertEqual(model.stage, .screening)
        let total = model.questions.count
        XCTAssertGreaterThan(total, 0)
        XCTAssertTrue(model.position == (1, total))
        await model.answer(.no)
        XCTAssertTrue(model.position == (2, total))
        model.back()
        XCTAssertTrue(model.position == (1, total))
        for _ in 0..<total {
            await model.answer(.no)
        }
        XCTAssertEqual(model.stage, .profile)
        XCTAssertEqual(model.safety?.locked, false)
    }

    func testNotSureIsNeverNo() async throws {
        let model = OnboardingModel(core: try openCore(TestClock()))
        await model.begin()
        await model.answer(.notSure)
        while model.stage == .screening {
            await model.answer(.no)
        }
        XCTAssertEqual(model.stage, .locked)
        XCTAssertNotNil(model.safety?.referral, "the referral says what to do")
        XCTAssertNotEqual(OnboardingModel.coreAnswer("q", .notSure), OnboardingModel.coreAnswer("q", .no))
    }
}

final class SyncAndExportTests: XCTestCase {
    func testTwoDevicesConvergeThroughTheSharedFolder() async throws {
        let folder = try temporaryDirectory("shared")
        let phoneClock = TestClock()
        let tabletClock = TestClock()
        let phone = try openCore(phoneClock, name: "phone")
        let tablet = try openCore(tabletClock, name: "tablet")
        let phoneSync = SyncBridge(core: phone, access: LocalFolderAccess(folder: folder), store: MemoryStore())
        let tabletSync = SyncBridge(core: tablet, access: LocalFolderAccess(folder: folder), store: MemoryStore())
        try await phoneSync.useICloud()
        try await tabletSync.useICloud()
        _ = try await phone.recordKneeToWall(side: .left, cm: 9.5)

        _ = try await phoneSync.syncNow()
        let report = try await tabletSync.syncNow()
        XCTAssertTrue(report.rejected.isEmpty)
        let onTablet = try await tablet.kneeToWallSeries(side: .left)
        XCTAssertEqual(onTablet.map(\.cm), [9.5])
        let seen = try await tabletSync.status().devices
        if let mine = seen.firstIndex(where: { $0.thisDevice }) {
            XCTAssertEqual(mine, 0, "this device first")
        }
        XCTAssertTrue(seen.contains { !$0.thisDevice }, "the phone's changes arrived")

        let unconfigured = SyncBridge(core: phone, access: LocalFolderAccess(folder: folder), store: MemoryStore())
        do {
            _ = try await unconfigured.syncNow()
            XCTFail("synced without a chosen folder")
        } catch let error as SyncBridgeError {
            XCTAssertEqual(error, .notConfigured)
        }
    }

    @MainActor
    func testExportWritesTheFilesForTheShareSheet() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        _ = try await core.recordKneeToWall(side: .right, cm: 11)
        let model = ExportModel(core: core)
        await model.prepare()
        XCTAssertNil(model.errorMessage)
        XCTAssertEqual(model.files.map(\.lastPathComponent).sorted(),
                       ["checkins.csv", "knee-to-wall.csv", "runs.csv", "set-pain.csv", "talus-export.json"])
        let rom = try String(contentsOf: model.files.first { $0.lastPathComponent == "knee-to-wall.csv" }!, encoding: .utf8)
        XCTAssertTrue(rom.contains("11"))
    }
}

final class ShellTextTests: XCTestCase {
    func testEveryKeyHasEnglishAndGerman() {
        for key in ShellKey.allCases {
            XCTAssertNotNil(ShellText.english[key], "en: \(key)")
            XCTAssertNotNil(ShellText.german[key], "de: \(key)")
        }
        XCTAssertEqual(ShellText.counter(3, of: 20, locale: "de"), "3 von 20")
        XCTAssertEqual(ShellText.text(.yes, locale: "fr"), "Yes", "other languages fall back to English")
    }
}

@MainActor
final class AppModelTests: XCTestCase {
    private func platform(_ clock: TestClock, store: MemoryStore, center: FakeNotificationCenter) -> Platform {
        Platform(clock: clock, notifications: center, workouts: FakeWorkouts([]),
                 syncFolders: LocalFolderAccess(folder: FileManager.default.temporaryDirectory), store: store)
    }

    func testOnboardingUntilFinishedThenReadyAndDeepLinksRoute() async throws {
        let clock = TestClock()
        let store = MemoryStore()
        let center = FakeNotificationCenter(status: .authorized)
        let dir = try temporaryDirectory("app").appendingPathComponent("p")
        let first = AppModel(platform: platform(clock, store: store, center: center), directory: dir)
        await first.ensureLaunched { FakeDevices().devices }
        XCTAssertEqual(first.phase, .onboarding)
        XCTAssertNotNil(first.services)
        first.onboardingFinished()

        // The next launch on the same profile goes straight to the app.
        let second = AppModel(platform: platform(clock, store: store, center: center), directory: dir)
        await second.ensureLaunched { FakeDevices().devices }
        await second.ensureLaunched { FakeDevices().devices }  // idempotent
        XCTAssertEqual(second.phase, .ready)
        second.open(URL(string: "talus://rom/retest")!)
        XCTAssertEqual(second.route, .kneeToWall)
        second.route = nil
        second.open(URL(string: "https://example.com")!)
        XCTAssertNil(second.route)
    }

    func testANotificationActionWaitsForTheLaunchItTriggered() async throws {
        let clock = TestClock()
        let store = MemoryStore()
        let center = FakeNotificationCenter(status: .authorized)
        let dir = try temporaryDirectory("cold").appendingPathComponent("p")
        let model = AppModel(platform: platform(clock, store: store, center: center), directory: dir)
        // Cold start in the background: the delegate starts the launch and answers at once.
        model.beginLaunch { FakeDevices().devices }
        XCTAssertNil(model.services, "the profile is still opening")
        await model.respond(actionId: NotificationAction.amber.rawValue, deepLink: "talus://checkin/run-9")
        XCTAssertNotNil(model.services)
        XCTAssertEqual(model.route, .checkIn(runId: "run-9", reask: false))
    }
}

@MainActor
final class SettingsModelTests: XCTestCase {
    func testProfileOffersTheCatalogsEquipmentAndSavesToggles() async throws {
        let core = try openCore(TestClock())
        let center = FakeNotificationCenter(status: .authorized)
        let model = SettingsModel(core: core, reminders: ReminderScheduler(core: core, center: center, store: MemoryStore()))
        await model.load()
        XCTAssertNotNil(model.settings)
        XCTAssertTrue(model.equipmentOptions.contains(.band), "the banded drill needs a band")
        XCTAssertEqual(model.equipmentOptions.count, Set(model.equipmentOptions).count)
        let before = model.has(.band)
        model.toggle(.band)
        XCTAssertNotEqual(model.has(.band), before)
        model.useSystemZone()
        await model.save()
        XCTAssertTrue(model.saved, model.errorMessage ?? "")
        let stored = try await core.settings()
        XCTAssertEqual(stored.equipment.contains(.band), !before)
        XCTAssertEqual(stored.homeZone, "Europe/Berlin")

        model.settings?.wakeStartMin = 5_000  // past midnight: the core refuses, nothing changes
        await model.save()
        XCTAssertFalse(model.saved)
        XCTAssertNotNil(model.errorMessage)
        let unchanged = try await core.settings()
        XCTAssertEqual(unchanged.wakeStartMin, stored.wakeStartMin)
    }

    func testClosedSetsAreNamedByTheCoreInBothLanguages() {
        XCTAssertNotEqual(Step.sideSwitch.label(locale: "en"), Step.sideSwitch.label(locale: "de"))
        XCTAssertNotEqual(Equipment.band.label(locale: "en"), Equipment.band.label(locale: "de"))
        XCTAssertFalse(SessionStatus.abandoned.label(locale: "en").isEmpty)
        XCTAssertEqual(NotificationCategory(kind: .longRunReask), .checkIn)
        XCTAssertEqual(NotificationCategory(kind: .romRetest), .retest)
    }
}

@MainActor
final class KneeToWallModelTests: XCTestCase {
    func testResultsPerSideForTheChartAndBadValuesRefused() async throws {
        let clock = TestClock()
        let model = KneeToWallModel(core: try openCore(clock))
        await model.record(side: .left, cm: 8.0)
        clock.advance(ms: 7 * 24 * hourMs)
        await model.record(side: .left, cm: 9.5)
        await model.record(side: .right, cm: 11.0)
        XCTAssertNil(model.errorMessage)
        XCTAssertEqual(model.chartPoints.count, 3)
        XCTAssertEqual(model.chartPoints.first?.cm, 8.0, "oldest first")
        XCTAssertEqual(model.report?.left.latestCm, 9.5)
        XCTAssertEqual(model.report?.left.changeCm ?? 0, 1.5, accuracy: 1e-9)
        XCTAssertEqual(model.report?.right.points.count, 1)
        await model.record(side: .right, cm: -3)
        XCTAssertNotNil(model.errorMessage, "a negative distance is refused")
        await model.load()
        XCTAssertEqual(model.right.count, 1, "and nothing was stored")
    }
}

@MainActor
final class HistoryModelTests: XCTestCase {
    func testEntriesAreDeletedAndARunCorrected() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        let importer = RunImporter(core: core, workouts: FakeWorkouts([]), store: MemoryStore(), reminders: nil)
        let typed = try await importer.addManual(startMs: testNow - 3 * hourMs, endMs: testNow - 2 * hourMs,
                                                 distanceM: 10_000, long: false)
        _ = try await core.recordKneeToWall(side: .right, cm: 10)
        _ = try await core.morningCheckin(CheckInInput(
            atMs: testNow - hourMs, zone: "Europe/Berlin", painCalf: 1, painAchilles: 0, painAnkle: 2,
            stiffnessCalf: 1, stiffnessAchilles: 0, stiffnessAnkle: 1, redFlagsYes: [], runId: nil))
        let model = HistoryModel(core: core)
        await model.load()
        XCTAssertEqual(model.runs.count, 1)
        XCTAssertEqual(model.kneeToWall.count, 1)
        XCTAssertEqual(model.checkins.map(\.painAnkle), [2])
        await model.delete(checkin: model.checkins[0])
        XCTAssertTrue(model.checkins.isEmpty)

        await model.correct(run: typed.run, distanceM: 21_000, endMs: typed.run.startMs + 110 * 60_000, long: true)
        XCTAssertNil(model.errorMessage)
        XCTAssertEqual(model.runs.count, 1, "a correction replaces, never duplicates")
        XCTAssertEqual(model.runs.first?.distanceM, 21_000)
        XCTAssertEqual(model.runs.first?.tags, ["long"])
        XCTAssertEqual(model.runDetails.first?.long, true, "tagged long, so it counts as long")

        await model.delete(kneeToWall: model.kneeToWall[0])
        await model.delete(run: model.runs[0])
        XCTAssertNil(model.errorMessage)
        XCTAssertTrue(model.runs.isEmpty)
        XCTAssertTrue(model.kneeToWall.isEmpty)
        let stored = try await core.runs(fromMs: 0, toMs: testNow + 1)
        XCTAssertTrue(stored.isEmpty)
    }
}

final class ErrorWordsTests: XCTestCase {
    func testCoreErrorsAreShownInTheRunnersLanguageWithoutDetail() async throws {
        let core = try openCore(TestClock())
        do {
            _ = try await core.recordKneeToWall(side: .left, cm: -1)
            XCTFail("a negative distance was accepted")
        } catch {
            let en = describe(error, locale: "en")
            let de = describe(error, locale: "de")
            XCTAssertFalse(en.isEmpty)
            XCTAssertNotEqual(en, de)
        }
    }
}
