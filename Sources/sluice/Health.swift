import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sluice health`: GETs the admin `/healthz` and exits 0 on a 200, 1 otherwise.
///
/// The container image's `HEALTHCHECK` (the runtime image has no curl). A blocking socket with
/// timeouts, no event loop: it runs once and exits.
struct HealthCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when Sluice's admin /healthz answers 200 (for a container HEALTHCHECK).",
        shouldDisplay: false
    )

    @Option(help: "The URL to GET: http://IPV4-OR-localhost:PORT/PATH.")
    var url: String = "http://127.0.0.1:9901/healthz"

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 3

    func run() throws {
        guard let target = Target(self.url) else {
            throw CommandFailure(description: "--url: expected http://HOST:PORT/PATH with an IPv4 host or localhost, got \(self.url)")
        }
        let statusLine = try target.get(timeoutSeconds: max(1, self.timeout))
        print(statusLine)
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), fields[1] == "200" else { throw ExitCode(1) }
    }

    /// Where to connect and what to ask for.
    struct Target {
        var address: in_addr
        var hostHeader: String
        var port: UInt16
        var path: String

        init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let authority = rest.prefix(while: { $0 != "/" })
            self.path = rest.count > authority.count ? String(rest.dropFirst(authority.count)) : "/"
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count) else { return nil }
            let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
            guard let port = parts.count == 2 ? UInt16(parts[1]) : 80 else { return nil }
            var address = in_addr()
            guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
            self.address = address
            self.hostHeader = String(authority)
            self.port = port
        }

        /// Sends the request and returns the response's status line.
        func get(timeoutSeconds: Int) throws -> String {
            #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard descriptor >= 0 else { throw CommandFailure(description: "socket: errno \(errno)") }
            defer { close(descriptor) }
            var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            // On Linux SO_SNDTIMEO also bounds connect().
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = self.port.bigEndian
            socketAddress.sin_addr = self.address
            let connected = withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw CommandFailure(description: "cannot connect to \(self.hostHeader): errno \(errno)") }
            let request = Array("GET \(self.path) HTTP/1.1\r\nHost: \(self.hostHeader)\r\nConnection: close\r\n\r\n".utf8)
            let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard sent == request.count else { throw CommandFailure(description: "cannot send to \(self.hostHeader): errno \(errno)") }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1024)
            while !response.contains(UInt8(ascii: "\n")) && response.count < 8192 {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                response += buffer[..<count]
            }
            let line = response.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? []
            let text = String(decoding: line, as: UTF8.self).trimmingSuffix("\r")
            guard !text.isEmpty else { throw CommandFailure(description: "no answer from \(self.hostHeader) within \(timeoutSeconds)s") }
            return text
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        self.hasSuffix(suffix) ? String(self.dropLast(suffix.count)) : self
    }
}
