#if canImport(Glibc)
import Glibc
#endif

/// Gives back the clean, file-backed pages that start-up touched and serving does not need.
///
/// What a freshly started Sluice holds (measured with `/proc/PID/smaps`, release build, quickstart
/// policy): 33 MB resident, of which 3 MB anonymous (heaps, stacks, the policy) and 30 MB clean pages of
/// files, the binary (10 MB) and the Swift runtime and Foundation libraries (libswiftCore 5 MB,
/// Foundation with ICU 8 MB, ...). They are mapped at start-up: the Swift runtime's first
/// protocol-conformance lookup reads the conformance records of every linked module (NIO, swift-crypto,
/// Foundation, Yams, postgres-nio), and policy loading runs YAML and Foundation code that serving never
/// runs again; the kernel maps 64 KiB around each page read. The statically linked binary of the image
/// holds 24 MB, 22 MB of it the same kind of pages.
///
/// `MADV_PAGEOUT` on the read-only file mappings returns those pages (they are clean: nothing is lost);
/// the ones serving needs fault back in on first use, from the page cache or the file. Writable
/// mappings and anonymous memory are not touched.
enum StartupPages {
    /// `MADV_PAGEOUT` (Linux 5.4): reclaim these pages now.
    private static let pageOut: Int32 = 21

    /// Advises every read-only file mapping of this process out of memory; returns how many were
    /// advised (0 where the kernel lacks `MADV_PAGEOUT` or `/proc` is not there).
    @discardableResult
    static func release() -> Int {
        #if os(Linux)
        guard let maps = Self.readMaps() else { return 0 }
        var advised = 0
        for mapping in Self.readOnlyFileMappings(in: maps) {
            let length = Int(mapping.upperBound - mapping.lowerBound)
            guard let start = UnsafeMutableRawPointer(bitPattern: UInt(mapping.lowerBound)) else { continue }
            if madvise(start, length, Self.pageOut) == 0 { advised += 1 }
        }
        return advised
        #else
        return 0
        #endif
    }

    /// The address ranges of `/proc/self/maps` lines that map a file (path starting with `/`) readable
    /// and not writable: program text, read-only data, shared libraries.
    static func readOnlyFileMappings(in maps: [UInt8]) -> [Range<UInt64>] {
        var ranges: [Range<UInt64>] = []
        for line in maps.split(separator: UInt8(ascii: "\n")) {
            // start-end perms offset dev inode path
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5].first == UInt8(ascii: "/") else { continue }
            let perms = Array(fields[1])
            guard perms.count >= 2, perms[0] == UInt8(ascii: "r"), perms[1] != UInt8(ascii: "w") else { continue }
            let bounds = fields[0].split(separator: UInt8(ascii: "-"))
            guard bounds.count == 2, let start = Self.hex(bounds[0]), let end = Self.hex(bounds[1]), start < end else {
                continue
            }
            ranges.append(start..<end)
        }
        return ranges
    }

    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }

    #if os(Linux)
    private static func readMaps() -> [UInt8]? {
        let descriptor = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            contents += chunk[..<count]
        }
        return contents
    }
    #endif
}
