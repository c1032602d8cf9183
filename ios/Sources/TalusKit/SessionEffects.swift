// The things a guided session asks the phone to do, as small protocols: the view model
// talks to these and never to AVFoundation or UIKit, so it runs in tests with fakes and on
// macOS. The iOS implementations live in TalusIOS.
import Foundation

/// One part of a drill's clip to play, as the core asked for it.
public struct ClipRequest: Equatable, Sendable {
    public var assetId: String
    public var startMs: Int64
    public var endMs: Int64
    /// Loop `startMs..<endMs` until told otherwise; otherwise report the end once.
    public var looped: Bool
    /// Show the picture mirrored (the clip is filmed on one leg).
    public var mirrored: Bool
    /// The clip's file in the bundled pack (`Clips/<file>`), as the core names it.
    public var file: String

    public init(assetId: String, startMs: Int64, endMs: Int64, looped: Bool, mirrored: Bool,
                file: String = "") {
        self.assetId = assetId
        self.file = file
        self.startMs = startMs
        self.endMs = endMs
        self.looped = looped
        self.mirrored = mirrored
    }
}

/// Plays clip segments. Reports the playback position (for captions and cues timed to the
/// clip) and the end of a non-looping segment.
@MainActor
public protocol SessionPlayer: AnyObject {
    var onPosition: ((Int64) -> Void)? { get set }
    var onEnded: (() -> Void)? { get set }
    func play(_ clip: ClipRequest)
    func pause()
    func resume()
    func stop()
}

/// Speaks cues; the implementation ducks other audio while speaking.
@MainActor
public protocol CueSpeaker: AnyObject {
    func speak(_ text: String, locale: String)
    func stopSpeaking()
}

/// Keeps the screen awake while a drill runs, and only then.
@MainActor
public protocol IdleTimerControl: AnyObject {
    func setKeepAwake(_ keepAwake: Bool)
}

/// The session's one timer: the countdown's redraws each second and its `Tick` at the
/// deadline the core's frame names.
@MainActor
public protocol TickScheduler: AnyObject {
    /// Calls `fire` once after `delayMs` (replacing any earlier request).
    func schedule(afterMs delayMs: Int64, _ fire: @escaping @MainActor () -> Void)
    func cancel()
}

/// A `Task.sleep` timer; good enough for whole-second ticks and testable via the protocol.
@MainActor
public final class TaskTickScheduler: TickScheduler {
    private var task: Task<Void, Never>?

    public init() {}

    public func schedule(afterMs delayMs: Int64, _ fire: @escaping @MainActor () -> Void) {
        task?.cancel()
        let nanos = UInt64(max(0, delayMs)) * 1_000_000
        task = Task { @MainActor in
            try? await Task.sleep(nanoseconds: nanos)
            if !Task.isCancelled { fire() }
        }
    }

    public func cancel() {
        task?.cancel()
        task = nil
    }
}

/// Everything a session needs from the device, bundled for injection.
@MainActor
public struct SessionDevices {
    public var player: any SessionPlayer
    public var speaker: any CueSpeaker
    public var idleTimer: any IdleTimerControl
    public var ticks: any TickScheduler

    public init(player: any SessionPlayer, speaker: any CueSpeaker, idleTimer: any IdleTimerControl,
                ticks: any TickScheduler) {
        self.player = player
        self.speaker = speaker
        self.idleTimer = idleTimer
        self.ticks = ticks
    }
}

/// A caption the overlay shows while the clip is between `startMs` and `endMs`.
public struct Caption: Equatable, Sendable {
    public var startMs: Int64
    public var endMs: Int64
    public var text: String

    public init(startMs: Int64, endMs: Int64, text: String) {
        self.startMs = startMs
        self.endMs = endMs
        self.text = text
    }
}

/// The cue list of the playing segment: captions are drawn from it (AVFoundation cannot
/// attach a sidecar WebVTT to an MP4) and timed cues are spoken when playback reaches them.
public struct CueTrack: Equatable, Sendable {
    public private(set) var captions: [Caption] = []
    private var spoken: Set<Int64> = []

    public init() {}

    /// Adds a cue the core timed to the clip; it shows for `holdMs` or until the next cue.
    public mutating func add(atMs: Int64, text: String, holdMs: Int64 = 3_000) {
        captions.append(Caption(startMs: atMs, endMs: atMs + holdMs, text: text))
        captions.sort { $0.startMs < $1.startMs }
        for i in captions.indices.dropLast() where captions[i].endMs > captions[i + 1].startMs {
            captions[i].endMs = captions[i + 1].startMs
        }
    }

    public mutating func reset() {
        captions = []
        spoken = []
    }

    /// The caption to show at `positionMs`, if any.
    public func caption(at positionMs: Int64) -> Caption? {
        captions.last { $0.startMs <= positionMs && positionMs < $0.endMs }
    }

    /// Cues whose time has come and that were not spoken in this pass of the loop. A loop
    /// back to the start (position before the last spoken cue) allows them again.
    public mutating func due(at positionMs: Int64) -> [Caption] {
        if let last = spoken.max(), positionMs < last {
            spoken = []
        }
        let due = captions.filter { $0.startMs <= positionMs && !spoken.contains($0.startMs) }
        for c in due { spoken.insert(c.startMs) }
        return due
    }
}
