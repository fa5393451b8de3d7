import NIOHTTP1
import Testing

@testable import SluiceProxy

@Suite("HTTP/1.x syntax shared by the parsers")
struct HTTP1SyntaxTests {
    @Test(
        "keep-alive reads as NIO's isKeepAlive does",
        arguments: [
            [], [("Connection", "close")], [("connection", "keep-alive")], [("connection", "Keep-Alive, Upgrade")],
            [("connection", "upgrade")], [("connection", "close, keep-alive")],
            [("connection", "keep-alive"), ("Connection", "keep-alive")],
            [("x-connection", "close")], [("connection", " close ")],
        ] as [[(String, String)]],
        [HTTPVersion.http1_1, .http1_0, .http2]
    )
    func keepAlive(headers: [(String, String)], version: HTTPVersion) {
        let head = HTTPRequestHead(version: version, method: .GET, uri: "/", headers: HTTPHeaders(headers))
        #expect(HTTP1Syntax.isKeepAlive(HTTPHeaders(headers), version: version) == head.isKeepAlive)
    }

    @Test("header names: exactly RFC 9110's token characters")
    func tokenBytes() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTP1Syntax.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }
}
