import Testing

@testable import SluicePolicy

@Suite("Listener addresses")
struct HostPortTests {
    @Test(
        "parses HOST:PORT and [IPV6]:PORT",
        arguments: [
            ("127.0.0.1:4000", "127.0.0.1", 4000),
            ("[::1]:4000", "::1", 4000),
            ("localhost:9901", "localhost", 9901),
            ("0.0.0.0:0", "0.0.0.0", 0),
            ("[::]:65535", "::", 65535),
            ("sluice.default.svc:80", "sluice.default.svc", 80),
            ("[fe80::1%eth0]:4000", "fe80::1%eth0", 4000),
        ]
    )
    func parses(text: String, host: String, port: Int) {
        #expect(HostPort(text) == HostPort(host: host, port: port))
    }

    @Test(
        "says why an address is wrong",
        arguments: [
            ("localhost", HostPort.ParseFailure.missingPort),
            ("localhost:", .missingPort),
            ("[::1]", .missingPort),
            (":4000", .missingHost),
            ("localhost:65536", .badPort),
            ("localhost:-1", .badPort),
            ("localhost:http", .badPort),
            ("::1:4000", .unbracketedIPv6),
            ("local host:4000", .badHost),
            ("[zz::1]:4000", .badHost),
            ("[::1:4000", .badHost),
        ]
    )
    func failures(text: String, failure: HostPort.ParseFailure) {
        #expect(HostPort.parse(text) == .failure(failure))
    }

    @Test("prints the way the policy writes it, IPv6 in brackets")
    func description() {
        #expect(HostPort(host: "127.0.0.1", port: 4000).description == "127.0.0.1:4000")
        #expect(HostPort(host: "::1", port: 4000).description == "[::1]:4000")
    }

    @Test("collides on the same port and host, or with a wildcard host; never on port 0")
    func collisions() {
        let app = HostPort(host: "127.0.0.1", port: 4000)
        #expect(app.collides(with: HostPort(host: "127.0.0.1", port: 4000)))
        #expect(app.collides(with: HostPort(host: "0.0.0.0", port: 4000)))
        #expect(HostPort(host: "::", port: 4000).collides(with: app))
        #expect(!app.collides(with: HostPort(host: "127.0.0.1", port: 4001)))
        #expect(!app.collides(with: HostPort(host: "127.0.0.2", port: 4000)))
        #expect(!HostPort(host: "127.0.0.1", port: 0).collides(with: HostPort(host: "127.0.0.1", port: 0)))
    }
}
