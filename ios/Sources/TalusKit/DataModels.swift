// View models for the screens that move data in and out: runs (health store import and
// manual entry, J4), sync and backup through a shared folder (J7), and the clinician
// export shared with the share sheet (J6).
import Foundation
import Observation

// MARK: Runs

@MainActor
@Observable
public final class RunsModel {
    public private(set) var lastImport: ImportSummary?
    public private(set) var lastManual: RunIngest?
    public private(set) var importEnabled = false
    public private(set) var errorMessage: String?
    private let importer: RunImporter

    public init(importer: RunImporter) {
        self.importer = importer
    }

    public func load() async {
        importEnabled = await importer.isEnabled
    }

    /// Turns run import on: the health-data permission is asked now, with the reason shown.
    public func enableImport() async {
        do {
            lastImport = try await importer.enable()
            importEnabled = true
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    public func importNow() async {
        do {
            lastImport = try await importer.importNew()
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    /// A run typed in: start, duration and distance; `long` is the runner's own tag.
    public func addManual(start: Date, minutes: Int, kilometres: Double, long: Bool) async {
        let startMs = Int64((start.timeIntervalSince1970 * 1000).rounded())
        let endMs = startMs + Int64(minutes) * 60_000
        do {
            lastManual = try await importer.addManual(
                startMs: startMs, endMs: endMs, distanceM: kilometres * 1000, long: long)
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }
}

// MARK: Sync and backup

@MainActor
@Observable
public final class SyncModel {
    public private(set) var kind: SyncLocationKind?
    public private(set) var lastReport: SyncReport?
    public private(set) var lastBackupPath: String?
    /// The devices this profile has heard from, this one first.
    public private(set) var devices: [DeviceSeen] = []
    public private(set) var errorMessage: String?
    public private(set) var syncing = false
    private let bridge: SyncBridge
    private let reminders: ReminderScheduler?

    public init(bridge: SyncBridge, reminders: ReminderScheduler?) {
        self.bridge = bridge
        self.reminders = reminders
    }

    public func load() async {
        kind = await bridge.kind
        devices = (try? await bridge.status().devices) ?? []
    }

    public func useICloud() async {
        await run { try await self.bridge.useICloud() }
    }

    /// A folder from the system picker (`.fileImporter` with `.folder`).
    public func usePicked(_ folder: URL) async {
        await run { try await self.bridge.usePicked(folder: folder) }
    }

    public func turnOff() async {
        await bridge.turnOff()
        kind = nil
    }

    /// Sync now; history merged from other devices may change reminders.
    public func syncNow() async {
        syncing = true
        defer { syncing = false }
        await run {
            self.lastReport = try await self.bridge.syncNow()
            try await self.reminders?.reconcile()
        }
    }

    public func backup() async {
        await run { self.lastBackupPath = try await self.bridge.backup() }
    }

    public func restore() async {
        await run { self.lastReport = try await self.bridge.restore() }
    }

    /// Files another device wrote that were damaged and skipped, in words.
    public var rejected: [String] {
        lastReport?.rejected.map { "\($0.path): \($0.reason)" } ?? []
    }

    private func run(_ body: @escaping @MainActor () async throws -> Void) async {
        do {
            try await body()
            kind = await bridge.kind
            devices = (try? await bridge.status().devices) ?? devices
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }
}

// MARK: Clinician export

@MainActor
@Observable
public final class ExportModel {
    /// Files ready for the share sheet.
    public private(set) var files: [URL] = []
    public private(set) var errorMessage: String?
    private let core: CoreService

    public init(core: CoreService) {
        self.core = core
    }

    /// Writes the core's CSV and JSON export for the last `days` days to a temporary folder.
    public func prepare(days: Int64 = 90) async {
        do {
            let now = core.clock.nowMs()
            let export = try await core.clinicianExport(fromMs: now - days * 86_400_000, toMs: now + 1)
            files = try await Task.detached { try Self.write(export) }.value
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    nonisolated static func write(_ export: ClinicianExport) throws -> [URL] {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("talus-export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let parts: [(String, String)] = [
            ("checkins.csv", export.checkinsCsv),
            ("set-pain.csv", export.setPainCsv),
            ("knee-to-wall.csv", export.kneeToWallCsv),
            ("runs.csv", export.runsCsv),
            ("talus-export.json", export.json),
        ]
        return try parts.map { name, body in
            let url = dir.appendingPathComponent(name)
            try Data(body.utf8).write(to: url, options: .atomic)
            return url
        }
    }
}
