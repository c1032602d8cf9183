// Opens the runner's profile in Application Support and runs disk-touching core calls off
// the main thread, as the API documentation asks.
import Foundation

public actor EngineStore {
    public let engine: Engine

    public init() throws {
        let base = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        let profile = base.appendingPathComponent("talus-profile", isDirectory: true)
        engine = try Engine.open(profileDir: profile.path, nowMs: SessionViewModelClock.nowMs())
    }

    public func today(zone: String = TimeZone.current.identifier) throws -> PlanInfo {
        try engine.today(nowMs: SessionViewModelClock.nowMs(), zone: zone)
    }

    public func recordRun(_ run: RunInput) throws -> RunIngest {
        try engine.recordRun(run: run, nowMs: SessionViewModelClock.nowMs())
    }
}

enum SessionViewModelClock {
    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
