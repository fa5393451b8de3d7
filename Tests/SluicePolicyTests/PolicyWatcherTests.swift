import Synchronization
import Testing

@testable import SluicePolicy

@Suite("PolicyWatcher sees a changed file however it was replaced")
struct PolicyWatcherTests {
    /// A file system in memory: each path maps to its current fingerprint.
    final class FakeDisk: Sendable {
        private let files = Mutex<[String: FileFingerprint]>([:])
        func set(_ path: String, inode: UInt64, size: Int64 = 10, modified: Int64 = 1) {
            self.files.withLock { $0[path] = FileFingerprint(device: 1, inode: inode, size: size, modifiedNanoseconds: modified) }
        }
        func remove(_ path: String) { self.files.withLock { $0[path] = nil } }
        func fingerprint(_ path: String) -> FileFingerprint? { self.files.withLock { $0[path] } }
    }

    @Test("no change, no reload")
    func unchanged() {
        let disk = FakeDisk()
        disk.set("/p.yaml", inode: 1)
        var watcher = PolicyWatcher(paths: ["/p.yaml"], fingerprint: disk.fingerprint)
        #expect(Self.poll(&watcher) == false)
        #expect(Self.poll(&watcher) == false)
    }

    @Test("an overwrite in place changes size or time")
    func overwrite() {
        let disk = FakeDisk()
        disk.set("/p.yaml", inode: 1, modified: 1)
        var watcher = PolicyWatcher(paths: ["/p.yaml"], fingerprint: disk.fingerprint)
        disk.set("/p.yaml", inode: 1, modified: 2)
        #expect(Self.poll(&watcher))
        #expect(Self.poll(&watcher) == false)
    }

    @Test("a rename over the file or a symlink swap changes the inode")
    func replaced() {
        let disk = FakeDisk()
        disk.set("/p.yaml", inode: 1)
        var watcher = PolicyWatcher(paths: ["/p.yaml"], fingerprint: disk.fingerprint)
        disk.set("/p.yaml", inode: 2)
        #expect(Self.poll(&watcher))
    }

    @Test("a referenced secret file that changes or disappears counts")
    func secretFile() {
        let disk = FakeDisk()
        disk.set("/p.yaml", inode: 1)
        disk.set("/key", inode: 5)
        var watcher = PolicyWatcher(paths: ["/p.yaml", "/key"], fingerprint: disk.fingerprint)
        disk.set("/key", inode: 6)
        #expect(Self.poll(&watcher))
        disk.remove("/key")
        #expect(Self.poll(&watcher))
    }

    @Test("the real file system: a rename over the watched path is seen")
    func realFiles() throws {
        let directory = "/tmp/sluice-watch-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkdir(directory, 0o700) == 0)
        defer {
            unlink(directory + "/policy.yaml")
            rmdir(directory)
        }
        let path = directory + "/policy.yaml"
        try Self.write("version: 1\n", to: path)
        var watcher = PolicyWatcher(paths: [path])
        #expect(Self.poll(&watcher) == false)
        try Self.write("version: 1\n# edited\n", to: directory + "/new.yaml")
        #expect(rename(directory + "/new.yaml", path) == 0)
        #expect(Self.poll(&watcher))
    }

    /// `#expect` cannot call a mutating method on its own.
    static func poll(_ watcher: inout PolicyWatcher) -> Bool {
        watcher.poll()
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw POSIXFailure() }
        fputs(text, file)
        fclose(file)
    }

    struct POSIXFailure: Error {}
}

#if canImport(Glibc)
import Glibc
#endif
