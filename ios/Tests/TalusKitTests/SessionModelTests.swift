// The guided-session view model against the real core with a fake player, speaker, idle
// timer and tick scheduler: the session runs to its end by doing only what the frames
// allow, every effect reaches its handler, backgrounding pauses, quitting is recorded as
// stopped early, and a killed app resumes where it was.
import XCTest
@testable import TalusKit

@MainActor
final class SessionModelTests: XCTestCase {
    /// Answers a frame the way a runner and the devices would: start, watch the intro to its
    /// end, tap reps, report pain 1, let the scheduled tick fire after moving the clock, and
    /// skip only what has no timer.
    private func step(_ model: SessionModel, _ fake: FakeDevices, _ clock: TestClock) async -> Bool {
        let frame = model.frame
        if frame.canStart {
            await model.start().value
        } else if model.askingPain || frame.canReportPain {
            clock.advance(ms: 3_000)
            await model.reportPain(1).value
        } else if frame.step == .intro, let clip = fake.player.played.last, !clip.looped {
            clock.advance(ms: clip.endMs - clip.startMs)
            fake.player.endCurrent()
            await model.settled()
        } else if frame.canRepDone {
            clock.advance(ms: 2_000)
            await model.repDone().value
        } else if let delay = fake.ticks.delayMs {
            clock.advance(ms: max(delay, 0))
            fake.ticks.fireNow()
            await model.settled()
        } else if frame.canSkipStep {
            await model.skipStep().value
        } else {
            return false
        }
        return true
    }

    func testSessionRunsToTheEndThroughTheEffectHandlers() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        XCTAssertTrue(model.frame.canStart)
        XCTAssertFalse(fake.idle.keepAwake, "the screen may sleep before the session starts")

        var steps = 0
        while !model.finished {
            let moved = await step(model, fake, clock)
            XCTAssertTrue(moved, "the frame offers no way forward: \(model.frame)")
            XCTAssertNil(model.errorMessage)
            steps += 1
            if !moved || steps > 20_000 { break }
        }
        XCTAssertTrue(model.finished)
        XCTAssertEqual(model.frame.progress, 1.0, accuracy: 1e-9)
        XCTAssertFalse(fake.player.played.isEmpty, "clips were played")
        XCTAssertTrue(fake.player.played.contains { $0.looped }, "the rep loop loops")
        XCTAssertTrue(fake.player.played.allSatisfy { !$0.file.isEmpty }, "the core names each clip's file")
        XCTAssertTrue(fake.player.stopped, "the player stops at the end")
        XCTAssertTrue(fake.idle.changes.contains(true), "the screen stayed on during drills")
        XCTAssertFalse(fake.idle.keepAwake, "and may sleep again at the end")
        XCTAssertGreaterThan(model.hapticCount, 0)

        let sessions = try await core.recentSessions(limit: 5)
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(String(describing: sessions[0].status), "finished")
    }

    /// A hold, rest or side switch counts down on screen from the frame's deadline, one
    /// redraw a second with no call into the core (its elapsed time stays as the last call
    /// left it), and asks the core once, at the deadline (ADR 0014 addendum).
    func testACountdownMovesEachSecondWithoutTheCoreAndTicksAtItsEnd() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        var steps = 0
        while (model.frame.deadlineMs ?? 0) - clock.nowMs() < 2_000 {
            let moved = await step(model, fake, clock)
            steps += 1
            if !moved || steps > 20_000 { return XCTFail("no countdown: \(model.frame)") }
        }
        let first = model.frame
        let deadline = try XCTUnwrap(first.deadlineMs)
        XCTAssertEqual(timeLeftAt(first, nowMs: clock.nowMs()), first.timeLeftMs)
        var shown = try XCTUnwrap(first.timeLeftMs)
        while let delay = fake.ticks.delayMs, clock.nowMs() + delay < deadline {
            XCTAssertEqual(clock.nowMs() + delay, nextCountdownRedraw(deadlineMs: deadline, nowMs: clock.nowMs()))
            clock.advance(ms: delay)
            fake.ticks.fireNow()
            XCTAssertEqual(model.frame.timeLeftMs, shown - 1_000)
            XCTAssertEqual(model.frame.elapsedMs, first.elapsedMs, "no call into the core")
            shown -= 1_000
        }
        XCTAssertEqual(shown, 1_000)
        clock.advance(ms: try XCTUnwrap(fake.ticks.delayMs))
        fake.ticks.fireNow()
        await model.settled()
        XCTAssertNotEqual(model.frame.deadlineMs, deadline, "the deadline's tick moved the session on")
        XCTAssertGreaterThan(model.frame.elapsedMs, first.elapsedMs)
    }

    func testBackgroundPausesAndAKilledAppResumesWhereItWas() async throws {
        let clock = TestClock()
        let dir = try temporaryDirectory("resume").appendingPathComponent("p")
        let core = try CoreService(directory: dir, clock: clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        await model.start().value
        XCTAssertTrue(model.frame.canPause)

        model.sceneWentToBackground()
        await model.settled()
        XCTAssertTrue(model.frame.paused)
        XCTAssertTrue(fake.player.paused, "the clip pauses with the session")
        XCTAssertNil(fake.ticks.delayMs, "no tick while paused")
        XCTAssertFalse(fake.idle.keepAwake)

        // The app is killed; a new process opens the same profile and finds the session.
        let reopened = try CoreService(directory: dir, clock: clock)
        let again = FakeDevices()
        let resumed = try await SessionModel.resume(core: reopened, devices: again.devices)
        XCTAssertEqual(resumed?.sessionId, model.sessionId)
        XCTAssertEqual(resumed?.frame.drillId, model.frame.drillId)
        XCTAssertTrue(resumed?.frame.paused ?? false)
    }

    func testQuitAsksFirstAndIsRecordedAsStoppedEarly() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        await model.start().value
        model.requestQuit()
        XCTAssertTrue(model.confirmingQuit)
        XCTAssertFalse(model.finished, "asking is not quitting")
        await model.confirmQuit().value
        XCTAssertTrue(model.finished)
        let sessions = try await core.recentSessions(limit: 5)
        XCTAssertEqual(sessions.count, 1)
        XCTAssertNotEqual(String(describing: sessions[0].status), "finished", "a quit is never a finish")
    }

    func testARefusedEventShowsAnErrorAndKeepsTheFrame() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        let before = model.frame
        await model.reportPain(11).value
        XCTAssertNotNil(model.errorMessage)
        XCTAssertEqual(model.frame, before)
    }

    func testSeverePainEndsTheSessionAndTheFollowUpScreeningResumes() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        try await screenClear(core)
        let fake = FakeDevices()
        let model = try await SessionModel.start(core: core, devices: fake.devices)
        var steps = 0
        while !(model.askingPain || model.frame.canReportPain), !model.finished, steps < 5_000 {
            let moved = await step(model, fake, clock)
            steps += 1
            if !moved { break }
        }
        XCTAssertTrue(model.frame.canReportPain, "reached a pain check")
        await model.reportPain(8).value
        XCTAssertTrue(model.finished, "pain 8 ends the session at once")
        XCTAssertFalse(model.frame.decisions.isEmpty, "with the reason on screen")
        do {
            _ = try await SessionModel.start(core: core, devices: FakeDevices().devices)
            XCTFail("the programme is paused until the follow-up screening")
        } catch {}

        let followUp = FollowUpModel(core: core, reminders: nil)
        await followUp.load()
        XCTAssertFalse(followUp.questions.isEmpty)
        while followUp.result == nil, followUp.current != nil {
            await followUp.answer(.no)
        }
        XCTAssertEqual(followUp.result?.resumed, true, followUp.errorMessage ?? "")
        _ = try await SessionModel.start(core: core, devices: FakeDevices().devices)
    }

    func testLockedProfileCannotStartASession() async throws {
        let clock = TestClock()
        let core = try openCore(clock)
        let questions = await core.screeningQuestions()
        let answers = questions.enumerated().map { OnboardingModel.coreAnswer($1.id, $0 == 0 ? .yes : .no) }
        let safety = try await core.submitScreening(answers)
        XCTAssertTrue(safety.locked)
        do {
            _ = try await SessionModel.start(core: core, devices: FakeDevices().devices)
            XCTFail("a locked profile started a session")
        } catch {
            XCTAssertFalse(describe(error).isEmpty)
        }
    }
}

final class CueTrackTests: XCTestCase {
    func testCaptionsFollowThePositionAndCuesAreSpokenOncePerLoop() {
        var track = CueTrack()
        track.add(atMs: 1_000, text: "Knee over toes")
        track.add(atMs: 2_000, text: "Heel down")
        XCTAssertNil(track.caption(at: 500))
        XCTAssertEqual(track.caption(at: 1_500)?.text, "Knee over toes")
        XCTAssertEqual(track.caption(at: 2_100)?.text, "Heel down", "a later cue cuts the earlier one short")
        XCTAssertEqual(track.due(at: 1_200).map(\.text), ["Knee over toes"])
        XCTAssertEqual(track.due(at: 1_300).map(\.text), [], "spoken once")
        XCTAssertEqual(track.due(at: 2_500).map(\.text), ["Heel down"])
        // The looper jumps back to the start of the segment: the cues come round again.
        XCTAssertEqual(track.due(at: 1_100).map(\.text), ["Knee over toes"])
    }
}
