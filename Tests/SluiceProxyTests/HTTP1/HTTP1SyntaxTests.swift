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
            [("x-connection", "close")], [("connection", " close ")], [("connection", "\tclose,,")],
            [("connection", ",keep-alive ,")],
        ] as [[(String, String)]],
        [HTTPVersion.http1_1, .http1_0, .http2]
    )
    func keepAlive(headers: [(String, String)], version: HTTPVersion) {
        let head = HTTPRequestHead(version: version, method: .GET, uri: "/", headers: HTTPHeaders(headers))
        #expect(HTTP1Syntax.isKeepAlive(HTTPHeaders(headers), version: version) == head.isKeepAlive)
    }

    @Test(
        "transfer-encoding: chunked only when it is the last coding; case, spaces and empty items do not count",
        arguments: [
            ("chunked", true), ("Chunked", true), ("gzip, chunked", true), ("gzip,chunked\t", true),
            ("chunked,", true), ("chunked, ", true), ("chunked, gzip", false), ("chunkedx", false), ("", false),
            (",", false), ("identity", false),
        ])
    func chunkedLast(value: String, chunked: Bool) {
        #expect(HTTP1Syntax.endsInChunked(value) == chunked)
    }

    @Test("list items: trimmed of spaces and tabs, empty ones skipped")
    func listItems() {
        var items: [String] = []
        HTTP1Syntax.forEachListItem(" a ,\tb\t,, ,c") { items.append(String(decoding: $0, as: UTF8.self)) }
        #expect(items == ["a", "b", "c"])
    }

    @Test("header names: exactly RFC 9110's token characters")
    func tokenBytes() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTP1Syntax.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }
}
