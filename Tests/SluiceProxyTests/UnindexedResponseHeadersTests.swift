import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import SluiceProxy

@Suite("HTTP/2 answers: header fields written as literals, not indexed")
struct UnindexedResponseHeadersTests {
    @Test("every field of a HEADERS frame becomes non-indexable, never-indexed ones stay so; DATA passes as it is")
    func marksHeaders() throws {
        let channel = EmbeddedChannel(handler: UnindexedResponseHeaders())
        var headers = HPACKHeaders([(":status", "200"), ("content-type", "application/json")])
        headers.add(name: "x-ratelimit-remaining-requests", value: "59")
        headers.add(name: "authorization", value: "secret", indexing: .neverIndexed)
        try channel.writeOutbound(HTTP2Frame.FramePayload.headers(.init(headers: headers)))
        try channel.writeOutbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "{}")))))

        guard case .headers(let written) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS frame written")
            return
        }
        #expect(written.headers.map(\.name) == [":status", "content-type", "x-ratelimit-remaining-requests", "authorization"])
        #expect(written.headers.map(\.value) == ["200", "application/json", "59", "secret"])
        #expect(
            written.headers.map(\.indexable) == [.nonIndexable, .nonIndexable, .nonIndexable, .neverIndexed])
        guard case .data(let data) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self),
            case .byteBuffer(let body) = data.data
        else {
            Issue.record("no DATA frame written")
            return
        }
        #expect(String(buffer: body) == "{}")
        _ = try channel.finish()
    }
}
