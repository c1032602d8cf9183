// One observable view model for the guided-session screen: it forwards user actions and
// timer ticks to the core's GuidedSession and publishes the frame it gets back. Effects
// (video, speech, haptics, ticks) are carried out by the injected handler; no rule lives here.
import Foundation

public protocol SessionEffectHandler: AnyObject {
    func perform(_ effect: EffectInfo, session: SessionViewModel)
}

@MainActor
public final class SessionViewModel: ObservableObject {
    @Published public private(set) var frame: FrameInfo
    @Published public private(set) var lastError: String?

    private let session: GuidedSession
    private weak var effects: SessionEffectHandler?
    private var tickTimer: Timer?

    /// Throws `TalusError.InvalidInput` only for a device clock outside 1970–2200.
    public init(session: GuidedSession, effects: SessionEffectHandler) throws {
        self.session = session
        self.effects = effects
        self.frame = try session.frame(nowMs: Self.nowMs())
    }

    public static func nowMs() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    public func send(_ event: SessionEvent) {
        do {
            let next = try session.handle(event: event, nowMs: Self.nowMs())
            frame = next
            lastError = nil
            for effect in next.effects {
                if case let .scheduleTick(atMs) = effect {
                    scheduleTick(atMs: atMs)
                } else {
                    effects?.perform(effect, session: self)
                }
            }
        } catch {
            lastError = "\(error)"
        }
    }

    private func scheduleTick(atMs: Int64) {
        tickTimer?.invalidate()
        let delay = max(0, Double(atMs - Self.nowMs()) / 1000)
        tickTimer = Timer.scheduledTimer(withTimeInterval: delay, repeats: false) { [weak self] _ in
            Task { @MainActor in self?.send(.tick) }
        }
    }
}
