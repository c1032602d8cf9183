// Shared folders for sync on iOS (ADR 0006): the app's iCloud Drive container
// (Documents/Talus) or a folder the runner picked with the system picker, remembered as a
// bookmark. Files that exist only in the cloud are downloaded before the core reads the
// folder; the core works inside one coordinated write on the folder, so iCloud does not
// swap a file under it. Everything here runs off the main actor.
#if os(iOS)
import Foundation
import TalusKit

public struct PhoneSyncFolders: SyncFolderAccess {
    static let bookmarkKey = "talus.sync.bookmark"
    private let store: any KeyValueStore
    /// How long to wait for cloud-only files before giving up (the runner can retry).
    private let downloadTimeout: Duration

    public init(store: any KeyValueStore, downloadTimeout: Duration = .seconds(30)) {
        self.store = store
        self.downloadTimeout = downloadTimeout
    }

    public func resolve(_ kind: SyncLocationKind) async throws -> URL? {
        switch kind {
        case .iCloud:
            // Never on the main thread: the first call may set up the container.
            guard let container = FileManager.default.url(forUbiquityContainerIdentifier: nil) else {
                return nil
            }
            let folder = container.appendingPathComponent("Documents/Talus", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        case .picked:
            guard let bookmark = store.data(forKey: Self.bookmarkKey) else { return nil }
            var stale = false
            let url = try URL(resolvingBookmarkData: bookmark, bookmarkDataIsStale: &stale)
            if stale {
                try remember(pickedFolder: url)
            }
            return url
        }
    }

    public func downloadAll(in folder: URL) async throws {
        let scoped = folder.startAccessingSecurityScopedResource()
        defer { if scoped { folder.stopAccessingSecurityScopedResource() } }
        let keys: [URLResourceKey] = [.isUbiquitousItemKey, .ubiquitousItemDownloadingStatusKey]
        let files = (try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: keys, options: [])) ?? []
        var waiting: [URL] = []
        for file in files {
            guard let values = try? file.resourceValues(forKeys: Set(keys)),
                  values.isUbiquitousItem == true,
                  values.ubiquitousItemDownloadingStatus != .current else { continue }
            try FileManager.default.startDownloadingUbiquitousItem(at: file)
            waiting.append(file)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: downloadTimeout)
        while !waiting.isEmpty {
            waiting = waiting.filter { file in
                var probe = file
                probe.removeCachedResourceValue(forKey: .ubiquitousItemDownloadingStatusKey)
                let status = try? probe.resourceValues(forKeys: [.ubiquitousItemDownloadingStatusKey])
                    .ubiquitousItemDownloadingStatus
                return status != .current
            }
            if waiting.isEmpty { break }
            if clock.now >= deadline {
                throw SyncBridgeError.downloadTimedOut(waiting.count)
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    public func withCoordinatedAccess<T>(to folder: URL, _ body: @Sendable (URL) throws -> T) throws -> T {
        let scoped = folder.startAccessingSecurityScopedResource()
        defer { if scoped { folder.stopAccessingSecurityScopedResource() } }
        var coordinationError: NSError?
        var result: Result<T, Error> = .failure(SyncBridgeError.folderUnreachable("coordination did not run"))
        NSFileCoordinator(filePresenter: nil).coordinate(
            writingItemAt: folder, options: .forMerging, error: &coordinationError
        ) { url in
            result = Result { try body(url) }
        }
        if let coordinationError {
            throw SyncBridgeError.folderUnreachable(coordinationError.localizedDescription)
        }
        return try result.get()
    }

    /// Keeps a picked folder across launches. `.withSecurityScope` is unavailable on iOS
    /// (NSURL.h); a minimal bookmark of a picked URL carries its access on iOS.
    public func remember(pickedFolder: URL) throws {
        let scoped = pickedFolder.startAccessingSecurityScopedResource()
        defer { if scoped { pickedFolder.stopAccessingSecurityScopedResource() } }
        let data = try pickedFolder.bookmarkData(
            options: .minimalBookmark, includingResourceValuesForKeys: nil, relativeTo: nil)
        store.set(data, forKey: Self.bookmarkKey)
    }
}
#endif
