// Between the core's folder sync and a folder the runner's devices share (ADR 0006): the
// core reads and writes plain files in a directory; this bridge finds the directory (the
// app's iCloud Drive container or a folder the runner picked), makes sure every file in it
// is downloaded, and holds file coordination and security-scoped access while the core
// works in it. All of it runs off the main actor.
import Foundation

public enum SyncLocationKind: String, Codable, Sendable {
    /// Documents/Talus in the app's iCloud Drive container.
    case iCloud
    /// A folder the runner picked (another cloud drive, a USB stick), kept as a bookmark.
    case picked
}

public enum SyncBridgeError: Error, Equatable, LocalizedError {
    case notConfigured
    case iCloudUnavailable
    case folderUnreachable(String)
    case downloadTimedOut(Int)

    public var errorDescription: String? {
        switch self {
        case .notConfigured: return "No sync folder is chosen."
        case .iCloudUnavailable: return "iCloud Drive is off or not signed in."
        case let .folderUnreachable(why): return "The sync folder cannot be opened: \(why)"
        case let .downloadTimedOut(count): return "\(count) file(s) are still downloading; try again shortly."
        }
    }
}

/// The platform side of a shared folder.
public protocol SyncFolderAccess: Sendable {
    /// The folder for `kind`, or nil if none is set up (no bookmark, no iCloud).
    func resolve(_ kind: SyncLocationKind) async throws -> URL?
    /// Starts downloading files that exist only in the cloud and waits (bounded) for them.
    func downloadAll(in folder: URL) async throws
    /// Runs `body` with access to `folder` (security scope) under file coordination.
    func withCoordinatedAccess<T>(to folder: URL, _ body: @Sendable (URL) throws -> T) throws -> T
    /// Remembers a picked folder (a bookmark) for later launches.
    func remember(pickedFolder: URL) throws
}

public actor SyncBridge {
    static let kindKey = "talus.sync.kind"

    private let core: CoreService
    private let access: any SyncFolderAccess
    private let store: any KeyValueStore

    public init(core: CoreService, access: any SyncFolderAccess, store: any KeyValueStore) {
        self.core = core
        self.access = access
        self.store = store
    }

    public var kind: SyncLocationKind? {
        store.data(forKey: Self.kindKey).flatMap { String(data: $0, encoding: .utf8) }
            .flatMap(SyncLocationKind.init(rawValue:))
    }

    public func useICloud() throws {
        store.set(Data(SyncLocationKind.iCloud.rawValue.utf8), forKey: Self.kindKey)
    }

    public func usePicked(folder: URL) throws {
        try access.remember(pickedFolder: folder)
        store.set(Data(SyncLocationKind.picked.rawValue.utf8), forKey: Self.kindKey)
    }

    public func turnOff() {
        store.set(nil, forKey: Self.kindKey)
    }

    /// One exchange: download what is in the cloud, then let the core write this device's
    /// changes and merge everyone else's, all under coordination.
    public func syncNow() async throws -> SyncReport {
        guard let kind else { throw SyncBridgeError.notConfigured }
        guard let folder = try await access.resolve(kind) else {
            throw kind == .iCloud ? SyncBridgeError.iCloudUnavailable : SyncBridgeError.notConfigured
        }
        try await access.downloadAll(in: folder)
        let engine = core.engine
        let now = core.clock.nowMs()
        return try access.withCoordinatedAccess(to: folder) { dir in
            try engine.syncFolder(dir: dir.path, nowMs: now)
        }
    }

    /// Every device whose changes this profile holds (this one first), with the time of its
    /// newest change: the runner sees that the other device has arrived.
    public func status() throws -> SyncStatus {
        try core.engine.syncStatus()
    }

    /// A full backup into the shared folder; returns the file's path.
    public func backup() async throws -> String {
        guard let kind, let folder = try await access.resolve(kind) else { throw SyncBridgeError.notConfigured }
        let engine = core.engine
        return try access.withCoordinatedAccess(to: folder) { dir in
            try engine.writeBackup(dir: dir.path)
        }
    }

    /// Restores every backup or segment in the shared folder (merging with what is here).
    public func restore() async throws -> SyncReport {
        guard let kind, let folder = try await access.resolve(kind) else { throw SyncBridgeError.notConfigured }
        try await access.downloadAll(in: folder)
        let engine = core.engine
        let now = core.clock.nowMs()
        return try access.withCoordinatedAccess(to: folder) { dir in
            try engine.restoreBackup(dir: dir.path, nowMs: now)
        }
    }
}

/// A plain local folder: used by tests and by the simulator without iCloud.
public struct LocalFolderAccess: SyncFolderAccess {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func resolve(_ kind: SyncLocationKind) async throws -> URL? {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    public func downloadAll(in folder: URL) async throws {}

    public func withCoordinatedAccess<T>(to folder: URL, _ body: @Sendable (URL) throws -> T) throws -> T {
        try body(folder)
    }

    public func remember(pickedFolder: URL) throws {}
}
