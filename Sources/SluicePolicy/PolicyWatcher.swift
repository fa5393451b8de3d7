#if canImport(Glibc)
import Glibc
#endif

/// What identifies one version of a file on disk: where it lives (device, inode), its size and its
/// modification time. `stat` follows symbolic links, so a Kubernetes ConfigMap or Secret mount, whose
/// `..data` link is swapped to a new timestamped folder, shows up as a new inode.
public struct FileFingerprint: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    /// The fingerprint of `path` now, or nil when it cannot be read (missing, dangling link).
    public static func of(_ path: String) -> FileFingerprint? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileFingerprint(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        )
    }
}

/// Tells when a policy file or any file it references changed, by comparing fingerprints at each poll.
///
/// Polling (not inotify) because it sees every way a file gets replaced the same way: an overwrite in
/// place, an editor's write-and-rename, and the kubelet's atomic symlink swap, where the watched path
/// itself never changes. A few `stat` calls every quarter second cost nothing measurable.
public struct PolicyWatcher: Sendable {
    private var paths: [String]
    private var fingerprints: [String: FileFingerprint?]
    private let fingerprint: @Sendable (String) -> FileFingerprint?

    /// Starts watching `paths` as they are now.
    public init(paths: [String], fingerprint: @escaping @Sendable (String) -> FileFingerprint? = FileFingerprint.of) {
        self.paths = paths
        self.fingerprint = fingerprint
        self.fingerprints = [:]
        for path in paths { self.fingerprints[path] = fingerprint(path) }
    }

    /// Whether anything changed since the last poll (or since `init`).
    public mutating func poll() -> Bool {
        var changed = false
        for path in self.paths {
            let now = self.fingerprint(path)
            if self.fingerprints[path] != now {
                self.fingerprints[path] = now
                changed = true
            }
        }
        return changed
    }

    /// Watches a new set of paths (after a reload changed which secret files the policy names).
    public mutating func watch(_ paths: [String]) {
        let added = paths.filter { self.fingerprints[$0] == nil }
        self.paths = paths
        for path in added { self.fingerprints[path] = self.fingerprint(path) }
    }
}
