// The shell's reading of the wall clock, the time zone and the language, passed to the core
// as arguments (the core never reads a clock). Tests substitute a fixed clock.
import Foundation

public protocol ShellClock: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    func nowMs() -> Int64
    /// The IANA name of the zone the runner is in now.
    func zone() -> String
    /// `de` or `en`: the languages the core speaks.
    func locale() -> String
}

public struct SystemClock: ShellClock {
    public init() {}

    public func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public func zone() -> String { TimeZone.current.identifier }

    public func locale() -> String {
        let preferred = Locale.preferredLanguages.first ?? "en"
        return preferred.hasPrefix("de") ? "de" : "en"
    }
}

/// Converts core instants to `Date` for formatting and for OS schedulers.
public func date(fromMs ms: Int64) -> Date {
    Date(timeIntervalSince1970: Double(ms) / 1000)
}
