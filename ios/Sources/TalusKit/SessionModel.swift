// The guided-session screen's view model: forwards the runner's taps, the timer and the
// player to the core's GuidedSession (off the main actor) and carries out the effects of
// each frame in one exhaustive switch. No rule lives here: what comes next, when to tick,
// when to ask for pain and when to stop are the core's decisions.
import Foundation
import Observation

@MainActor
@Observable
public final class SessionModel {
    /// What to draw: the core's frame, as returned by the last event.
    public private(set) var frame: FrameInfo
    /// The last error in words (an event the core refused); nil when the last one worked.
    public private(set) var errorMessage: String?
    /// The caption for the clip's current position (drawn as an overlay).
    public private(set) var caption: Caption?
    /// Whether the clip is shown mirrored (the other leg).
    public private(set) var mirrored = false
    /// Bumped on every haptic effect; the view's `.sensoryFeedback` triggers on it.
    public private(set) var hapticCount = 0
    /// The core asked for pain after a set.
    public private(set) var askingPain = false
    /// The session is over and stored.
    public private(set) var finished = false
    /// The quit confirmation is showing.
    public var confirmingQuit = false

    public nonisolated let sessionId: String
    private let core: CoreService
    private let session: GuidedSession
    private let devices: SessionDevices
    @ObservationIgnored private var cues = CueTrack()
    @ObservationIgnored private var cueLocale = "en"
    @ObservationIgnored private var pending: Task<Void, Never>?

    /// Plans today and starts a session over it (the core refuses while locked).
    public static func start(core: CoreService, devices: SessionDevices) async throws -> SessionModel {
        let session = try await core.startSession()
        let frame = try await core.frame(session)
        return SessionModel(core: core, session: session, frame: frame, devices: devices)
    }

    /// The session left from before the app was killed, if any: it comes back where it was.
    public static func resume(core: CoreService, devices: SessionDevices) async throws -> SessionModel? {
        guard let session = try await core.resumeSession() else { return nil }
        let frame = try await core.frame(session)
        return SessionModel(core: core, session: session, frame: frame, devices: devices)
    }

    init(core: CoreService, session: GuidedSession, frame: FrameInfo, devices: SessionDevices) {
        self.core = core
        self.session = session
        self.frame = frame
        self.devices = devices
        self.sessionId = session.id()
        devices.player.onEnded = { [weak self] in
            self?.send(.videoEnded)
        }
        devices.player.onPosition = { [weak self] ms in
            self?.positionChanged(ms)
        }
    }

    // MARK: Intents (each enabled only when the frame says so)

    // Each returns the task that ends when the frame is shown (tests await it; views don't).
    @discardableResult public func start() -> Task<Void, Never> { send(.start) }
    @discardableResult public func repDone() -> Task<Void, Never> { send(.repDone) }
    @discardableResult public func pause() -> Task<Void, Never> { send(.pause) }
    @discardableResult public func resume() -> Task<Void, Never> { send(.resume) }
    @discardableResult public func skipStep() -> Task<Void, Never> { send(.skipStep) }
    @discardableResult public func skipDrill() -> Task<Void, Never> { send(.skipDrill) }
    @discardableResult public func switchSide() -> Task<Void, Never> { send(.switchSide) }

    /// Pain 0–10 for the side just done (each-side drills ask after every side) or the
    /// both-feet set.
    @discardableResult
    public func reportPain(_ pain: Int) -> Task<Void, Never> {
        askingPain = false
        return send(.painReported(pain: numericCast(pain)))
    }

    /// "Just a stretch, no pain": its own answer; the core records a stretch, never pain.
    @discardableResult
    public func reportStretchOnly() -> Task<Void, Never> {
        askingPain = false
        return send(.stretchReported)
    }

    public func requestQuit() { confirmingQuit = true }

    /// Quitting after the confirmation: the core records the session as stopped early.
    @discardableResult
    public func confirmQuit() -> Task<Void, Never> {
        confirmingQuit = false
        return send(.stop)
    }

    /// The scene went to the background or the phone locked: pause, so the session comes
    /// back where it was (the core snapshots it).
    public func sceneWentToBackground() {
        if frame.canPause { send(.pause) }
    }

    /// Waits until every event sent so far has been handled.
    public func settled() async {
        while let current = pending {
            await current.value
            if pending == current { break }
        }
    }

    /// Sends one event after the ones before it; the returned task ends when its frame is shown.
    @discardableResult
    public func send(_ event: SessionEvent) -> Task<Void, Never> {
        let previous = pending
        let task = Task { @MainActor [weak self] in
            await previous?.value
            await self?.perform(event)
        }
        pending = task
        return task
    }

    private func perform(_ event: SessionEvent) async {
        do {
            let next: FrameInfo
            if case .tick = event {
                next = try await core.tick(session)
            } else {
                next = try await core.handle(session, event)
            }
            let wasPaused = frame.paused
            frame = next
            errorMessage = nil
            apply(next.effects)
            if next.paused && !wasPaused {
                devices.player.pause()
                devices.ticks.cancel()
            } else if !next.paused && wasPaused {
                devices.player.resume()
            }
            devices.idleTimer.setKeepAwake(next.canPause && !finished)
            countDown(next)
        } catch {
            errorMessage = describe(error)
        }
    }

    /// Counts the frame's countdown down on the session's one timer (ADR 0014 addendum): a
    /// redraw each time its whole seconds change, worked out from `deadlineMs` with no call
    /// into the core, then `tick` at the deadline. Replaces the wake-up `scheduleTick` set
    /// for the same deadline; a frame without one (paused, or no countdown) schedules nothing.
    private func countDown(_ shown: FrameInfo) {
        guard let deadline = shown.deadlineMs else { return }
        let now = core.clock.nowMs()
        devices.ticks.schedule(afterMs: nextCountdownRedraw(deadlineMs: deadline, nowMs: now) - now) { [weak self] in
            // A frame that came meanwhile (a tap, a pause) brought its own countdown.
            guard let self, self.frame.deadlineMs == deadline else { return }
            let now = self.core.clock.nowMs()
            if now >= deadline {
                self.send(.tick)
            } else {
                self.frame.timeLeftMs = timeLeftAt(self.frame, nowMs: now)
                self.countDown(self.frame)
            }
        }
    }

    /// Carries out a frame's effects in order. No `default`: a new effect breaks the build.
    private func apply(_ effects: [EffectInfo]) {
        for effect in effects {
            switch effect {
            case let .playVideo(assetId, _, startMs, endMs, looped, mirrored, file):
                cues.reset()
                caption = nil
                self.mirrored = mirrored
                devices.player.play(ClipRequest(
                    assetId: assetId, startMs: Int64(startMs), endMs: Int64(endMs),
                    looped: looped, mirrored: mirrored, file: file))
            case let .speakCue(text, locale, atVideoMs):
                cueLocale = locale
                if let at = atVideoMs {
                    cues.add(atMs: Int64(at), text: text)
                } else {
                    caption = Caption(startMs: 0, endMs: Int64.max, text: text)
                    devices.speaker.speak(text, locale: locale)
                }
            case .haptic:
                hapticCount += 1
            case .askPain:
                askingPain = true
            case let .scheduleTick(atMs):
                let delay = Int64(atMs) - core.clock.nowMs()
                devices.ticks.schedule(afterMs: delay) { [weak self] in
                    self?.send(.tick)
                }
            case .snapshotSaved:
                break  // The core already saved the session for a resume; nothing to do.
            case .sessionFinished:
                finished = true
                devices.ticks.cancel()
                devices.player.stop()
                devices.speaker.stopSpeaking()
                devices.idleTimer.setKeepAwake(false)
            }
        }
    }

    /// The player's position: show the caption for it and speak cues whose time has come.
    func positionChanged(_ positionMs: Int64) {
        caption = cues.caption(at: positionMs) ?? (caption?.endMs == Int64.max ? caption : nil)
        for cue in cues.due(at: positionMs) {
            devices.speaker.speak(cue.text, locale: cueLocale)
        }
    }
}

/// The time left to show at `nowMs` for a frame drawn earlier: `ceil((deadline - now) / 1 s)`
/// whole seconds, never below 0, exactly what the core's frame would say then; the frame's own
/// `timeLeftMs` when no countdown runs (paused, it stands still).
public func timeLeftAt(_ frame: FrameInfo, nowMs: Int64) -> Int64? {
    guard let deadline = frame.deadlineMs else { return frame.timeLeftMs }
    return (max(deadline - nowMs, 0) + 999) / 1000 * 1000
}

/// When the whole seconds a countdown ending at `deadlineMs` shows next change (at most the deadline).
public func nextCountdownRedraw(deadlineMs: Int64, nowMs: Int64) -> Int64 {
    let left = deadlineMs - nowMs
    return left <= 1000 ? deadlineMs : deadlineMs - (left - 1) / 1000 * 1000
}

extension SessionModel: Identifiable {
    public nonisolated var id: String { sessionId }
}

/// An error in words for the screen: the core's calm sentence for its error code in the
/// runner's language (never the technical detail), or the platform's description.
public func describe(_ error: Error, locale: String = SystemClock().locale()) -> String {
    if let talus = error as? TalusError {
        return talus.userMessage(locale: locale)
    }
    if let localized = error as? LocalizedError, let text = localized.errorDescription {
        return text
    }
    return String(describing: error)
}
