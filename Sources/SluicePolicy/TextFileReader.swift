#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads small text files (policies, secrets, CA bundles) with POSIX calls.
///
/// POSIX rather than Foundation so that a failure reads as the system's own words
/// ("No such file or directory", "Permission denied", "Is a directory"), which is what an
/// operator searches for, instead of a wrapped Cocoa error.
enum TextFileReader {
    /// A read that failed; `description` is the reason alone, the caller adds the path.
    struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The largest file read; a policy, key or CA bundle is far smaller, and the cap keeps a
    /// mistaken path such as `/dev/zero` from eating memory.
    static let maxBytes = 16 << 20

    /// Reads the whole file at `path` as UTF-8 text.
    @Sendable
    static func read(path: String) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(reason: errorText(errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: errorText(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxBytes else { throw Failure(reason: "the file is larger than 16 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(reason: "the file is not UTF-8 text")
        }
        return text
    }

    /// POSIX `read`, renamed because `read(path:)` above shadows it.
    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
            Musl.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
