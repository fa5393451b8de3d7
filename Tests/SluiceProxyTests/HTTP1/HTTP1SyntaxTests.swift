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

    @Test("field values: a control byte other than tab, or DEL, is found at any place, eight bytes at a time or not")
    func controlBytes() {
        for length in 1...24 {
            for place in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var value = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    value[place] = byte
                    let expected = (byte < 0x20 && byte != 0x09) || byte == 0x7F
                    let found = value.withUnsafeBytes { HTTP1Syntax.hasControlByte($0) }
                    if found != expected {
                        Issue.record("byte \(byte) at \(place) of \(length): \(found)")
                        return
                    }
                }
            }
        }
        let clean = Array("Bearer sk-\t\u{80}\u{FF}abcdefghijklmnop".utf8)
        #expect(!clean.withUnsafeBytes { HTTP1Syntax.hasControlByte($0) })
    }

    @Test("header names: exactly RFC 9110's token characters")
    func tokenBytes() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTP1Syntax.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }
}
