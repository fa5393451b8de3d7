#if canImport(Glibc)
import Glibc
private let closeSocket = Glibc.close
#elseif canImport(Darwin)
import Darwin
private let closeSocket = Darwin.close
#endif

/// A loopback port that refuses every connection for as long as this value lives.
///
/// A port found free and then closed is free for anyone: tests run in parallel, and another
/// test's listener can bind it in the meantime, so a request meant to be refused reaches a
/// stranger (CI once saw a "refused" backup answer 404 from another test's gateway). This holds a
/// socket bound to the port without listening on it: the kernel answers a SYN to it with a reset
/// (connection refused), and no other socket can bind the port until `close()`.
final class RefusingPort: @unchecked Sendable {
    let port: Int
    private var descriptor: Int32

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(step: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            _ = closeSocket(descriptor)
            throw Failure(step: "bind", code: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            _ = closeSocket(descriptor)
            throw Failure(step: "getsockname", code: code)
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Frees the port. Safe to call more than once; a test that forgets is cleaned up at deinit.
    func close() {
        guard self.descriptor >= 0 else { return }
        _ = closeSocket(self.descriptor)
        self.descriptor = -1
    }

    deinit { self.close() }

    struct Failure: Error, CustomStringConvertible {
        var step: String
        var code: Int32
        var description: String { "RefusingPort: \(step) failed: \(String(cString: strerror(code)))" }
    }
}
