import Logging
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Testing

@testable import SluiceProxy

@Suite("HTTP/2 answer fields: encoded by Sluice and spliced into the HEADERS frame NIO writes")
struct HTTP2HeaderSplicerTests {
    /// Bytes as hex, for comparing with RFC 7541's examples.
    private static func hex(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    @Test("integers: RFC 7541 C.1's examples, and the 7-bit prefix string lengths use")
    func writesIntegers() {
        let cases: [(Int, Int, String)] = [
            (10, 5, "0a"), (1337, 5, "1f 9a 0a"), (42, 8, "2a"),
            (126, 7, "7e"), (127, 7, "7f 00"), (128, 7, "7f 01"), (300, 7, "7f ad 01"),
        ]
        for (value, prefix, expected) in cases {
            var buffer = ByteBuffer()
            HTTP2ResponseBlock.writeInteger(value, prefixBits: prefix, to: &buffer)
            #expect(Self.hex(buffer) == expected, "\(value) with a \(prefix)-bit prefix")
        }
    }

    /// An answer head with what both ways of writing one must handle: capitalised names, the length,
    /// connection-specific fields and one a `connection` field names, a value too long for a one-byte
    /// length, an empty value.
    private static let mixedHead = HTTPResponseHead(
        version: .http1_1, status: .tooManyRequests,
        headers: HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", "42"), ("Connection", "keep-alive, X-Hop"),
            ("x-hop", "1"), ("transfer-encoding", "chunked"), ("Keep-Alive", "timeout=5"),
            ("x-ratelimit-remaining-requests", "59"), ("x-long", String(repeating: "v", count: 300)),
            ("x-empty", ""),
        ]))

    @Test("fields: literal, not indexed, new name, no Huffman; lowercased, hop-by-hop ones dropped; the length apart")
    func writesFields() throws {
        var block = ByteBuffer()
        #expect(HTTP2ResponseBlock.writeFields(Self.mixedHead.headers, to: &block) == "42")
        #expect(block.getInteger(at: 0, as: UInt8.self) == 0x00)
        #expect(Self.hex(block.getSlice(at: 1, length: 13)!) == "0c 63 6f 6e 74 65 6e 74 2d 74 79 70 65")

        // NIO's decoder reads them back, as literals that were not added to its dynamic table.
        var decoder = HPACKDecoder(allocator: ByteBufferAllocator())
        let decoded = try decoder.decodeHeaders(from: &block)
        let carried = ["content-type", "x-ratelimit-remaining-requests", "x-long", "x-empty"]
        #expect(decoded.map(\.name) == carried)
        #expect(decoded.map(\.value) == ["application/json", "59", String(repeating: "v", count: 300), ""])
        #expect(decoded.allSatisfy { $0.indexable == .nonIndexable })
        #expect(HTTP2ResponseBlock.nioPart(status: .tooManyRequests, contentLength: "42").map(\.name) == [
            ":status", "content-length",
        ])

        // The whole block NIO encodes when fields are too many to splice: the same fields after :status (the
        // one indexable field: common codes are whole static-table entries), the length in its place.
        let whole = HTTP2ResponseBlock.response(Self.mixedHead)
        #expect(whole.map(\.name) == [":status", "content-type", "content-length"] + carried.dropFirst())
        #expect(whole.first(name: ":status") == "429")
        #expect(whole.map(\.indexable) == [.indexable] + Array(repeating: .nonIndexable, count: carried.count + 1))
    }

    @Test("fields: a head whose connection field names nothing carried is written in one pass, lengths of every size")
    func writesFieldsInOnePass() throws {
        let longName = "X-" + String(repeating: "n", count: 200)
        let longValue = String(repeating: "v", count: 20_000)
        let headers = HTTPHeaders([
            ("Connection", "close"), ("X-Mixed-Case", "1"), (longName, "2"), ("x-big", longValue),
            ("content-length", "7"), ("Content-Length", "8"), ("x-edge", String(repeating: "e", count: 127)),
        ])
        var block = ByteBuffer()
        #expect(HTTP2ResponseBlock.writeFields(headers, to: &block) == "7")
        var decoder = HPACKDecoder(
            allocator: ByteBufferAllocator(), maxDynamicTableSize: 4096,
            maxHeaderListSize: 1 << 20)
        let decoded = try decoder.decodeHeaders(from: &block)
        #expect(decoded.map(\.name) == ["x-mixed-case", longName.lowercased(), "x-big", "x-edge"])
        #expect(decoded.map(\.value) == ["1", "2", longValue, String(repeating: "e", count: 127)])
        #expect(block.readableBytes == 0)
    }

    /// A HEADERS frame for stream 1 whose block is `block`, with END_HEADERS and the given other flags.
    private static func headersFrame(block: [UInt8], flags: UInt8 = 0x4, type: UInt8 = 0x1) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(0))
        frame.writeInteger(UInt16(block.count))
        frame.writeInteger(type)
        frame.writeInteger(flags)
        frame.writeInteger(UInt32(1))
        frame.writeBytes(block)
        return frame
    }

    @Test("a splice appends the fields to the block and raises the frame's length; flags and stream stay")
    func splices() throws {
        let frame = Self.headersFrame(block: [0x88], flags: 0x5)
        var fields = ByteBuffer(bytes: [0x00, 0x01, 0x61, 0x01, 0x62])
        let spliced = try #require(HTTP2HeaderSplicer.splice(&fields, into: frame, stream: HTTP2StreamID(1)))
        #expect(Self.hex(spliced) == "00 00 06 01 05 00 00 00 01 88 00 01 61 01 62")
    }

    @Test("fields written after the splicer's headroom take NIO's frame in front of them: the same bytes, one buffer")
    func splicesIntoHeadroom() throws {
        // NIO's part of a block at its largest: a dynamic table size update and a status it indexes.
        let frame = Self.headersFrame(block: [0x3F, 0xE1, 0x1F, 0x48, 0x03, 0x34, 0x32, 0x39], flags: 0x5)
        var fields = HTTP2HeaderSplicer().fieldsBuffer(allocator: ByteBufferAllocator(), capacity: 16)
        fields.writeBytes([0x00, 0x01, 0x61, 0x01, 0x62])
        let capacity = fields.capacity
        let spliced = try #require(HTTP2HeaderSplicer.splice(&fields, into: frame, stream: HTTP2StreamID(1)))
        #expect(Self.hex(spliced) == "00 00 0d 01 05 00 00 00 01 3f e1 1f 48 03 34 32 39 00 01 61 01 62")
        // The fields' own buffer, its reader index moved back over the frame: NIO's frame was not copied
        // to grow behind it.
        #expect(spliced.readerIndex == HTTP2HeaderSplicer.headroom - frame.readableBytes)
        #expect(spliced.capacity == capacity)
    }

    /// Announces `fields` as stream 1's and lets NIO's HEADERS frame (`:status: 200`) through the splicer;
    /// returns the frame as it went to the socket.
    private static func splice(
        _ fields: [UInt8], into buffer: ByteBuffer, by splicer: HTTP2HeaderSplicer, on channel: EmbeddedChannel
    ) throws -> ByteBuffer {
        var buffer = buffer
        buffer.writeBytes(fields)
        splicer.spliceIntoNextWrite(buffer, stream: HTTP2StreamID(1))
        buffer = ByteBuffer()  // the splicer's is the only reference, as in HTTP2AppConnection
        try channel.writeOutbound(IOData.byteBuffer(Self.headersFrame(block: [0x88])))
        guard case .byteBuffer(let frame) = try #require(try channel.readOutbound(as: IOData.self)) else {
            throw HTTP2HeaderSpliceError()
        }
        return frame
    }

    @Test("the next answer's fields go into the last spliced frame's storage once the socket has let go of it")
    func reusesSplicedFrame() throws {
        let splicer = HTTP2HeaderSplicer()
        let channel = EmbeddedChannel(handler: splicer)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let large = splicer.fieldsBuffer(allocator: channel.allocator, capacity: 2000)
        let firstCapacity = try Self.splice([0x00, 0x01, 0x61, 0x01, 0x62], into: large, by: splicer, on: channel)
            .capacity
        // Written and let go of: a smaller head gets the same storage, emptied, its headroom kept.
        let reused = splicer.fieldsBuffer(allocator: channel.allocator, capacity: 16)
        #expect(reused.capacity == firstCapacity)
        #expect(reused.readerIndex == HTTP2HeaderSplicer.headroom && reused.readableBytes == 0)
        // Still held by its write: the next head gets storage of its own, and the frame is left as it was.
        let held = try Self.splice([0x00, 0x01, 0x63, 0x01, 0x64], into: reused, by: splicer, on: channel)
        let fresh = splicer.fieldsBuffer(allocator: channel.allocator, capacity: 16)
        #expect(fresh.capacity < firstCapacity)
        #expect(Self.hex(held) == "00 00 06 01 04 00 00 00 01 88 00 01 63 01 64")
    }

    @Test("no splice into a frame that is not a whole HEADERS frame with END_HEADERS of its stream, or past 16 KiB")
    func refusesOtherFrames() {
        let fields = ByteBuffer(bytes: [0x00, 0x01, 0x61, 0x01, 0x62])
        let frames = [
            Self.headersFrame(block: [0x88], type: 0x0),  // DATA
            Self.headersFrame(block: [0x88], flags: 0x1),  // no END_HEADERS: CONTINUATION would follow
            Self.headersFrame(block: [0x88]).getSlice(at: 0, length: 9)!,  // the block is missing
            ByteBuffer(bytes: [0x00, 0x00]),
        ]
        for frame in frames {
            var copy = fields
            #expect(HTTP2HeaderSplicer.splice(&copy, into: frame, stream: HTTP2StreamID(1)) == nil)
        }
        let frame = Self.headersFrame(block: [0x88])
        var big = ByteBuffer(repeating: 0, count: HTTP2HeaderSplicer.maxBlock)
        #expect(HTTP2HeaderSplicer.splice(&big, into: frame, stream: HTTP2StreamID(1)) == nil)
        // Another stream's HEADERS frame.
        var other = fields
        #expect(HTTP2HeaderSplicer.splice(&other, into: frame, stream: HTTP2StreamID(3)) == nil)
    }

    @Test("announced fields meeting a write that is no HEADERS frame: the write fails and the connection closes")
    func refusesMisplacedSplice() throws {
        let splicer = HTTP2HeaderSplicer()
        let channel = EmbeddedChannel(handler: splicer)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        // Writes with nothing announced pass unchanged.
        try channel.writeOutbound(IOData.byteBuffer(Self.headersFrame(block: [0x88])))
        #expect(try channel.readOutbound(as: IOData.self) == .byteBuffer(Self.headersFrame(block: [0x88])))

        splicer.spliceIntoNextWrite(ByteBuffer(bytes: [0x00, 0x01, 0x61, 0x01, 0x62]), stream: HTTP2StreamID(1))
        let written = channel.writeAndFlush(IOData.byteBuffer(Self.headersFrame(block: [0x88], type: 0x0)))
        #expect(throws: HTTP2HeaderSpliceError.self) { try written.wait() }
        #expect(throws: HTTP2HeaderSpliceError.self) { try channel.throwIfErrorCaught() }
        #expect(!channel.isActive)
    }

    /// The log events a test's logger was given.
    final class LoggedEvents: @unchecked Sendable {
        var events: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
    }

    struct RecordingLogHandler: LogHandler {
        let record: LoggedEvents
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            self.record.events.append((event.level, event.message.description, event.metadata ?? [:]))
        }
    }

    @Test("a failed splice is logged once, by name, by the connection it closed")
    func logsFailedSplice() throws {
        let record = LoggedEvents()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(record: record) }
        let splicer = HTTP2HeaderSplicer()
        let connection = HTTP2AppConnection(splicer: splicer, logger: logger) { _ in
            preconditionFailure("no stream is opened")
        }
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([splicer, connection])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()

        splicer.spliceIntoNextWrite(ByteBuffer(bytes: [0x00, 0x01, 0x61, 0x01, 0x62]), stream: HTTP2StreamID(1))
        let written = channel.writeAndFlush(IOData.byteBuffer(Self.headersFrame(block: [0x88], type: 0x0)))
        #expect(throws: HTTP2HeaderSpliceError.self) { try written.wait() }
        #expect(!channel.isActive)
        #expect(record.events.count == 1)
        let logged = try #require(record.events.first)
        #expect(logged.level == .error)
        #expect(logged.message.contains("header fields could not be placed in its HEADERS frame"))
        #expect(logged.metadata["problem"] == .string("h2_header_splice"))
    }

    // MARK: Through NIO's own handlers

    /// An answer head of twenty-odd provider fields like the bench's recording.
    private static func providerHead(_ status: HTTPResponseStatus, extra: [(String, String)] = []) -> HTTPResponseHead {
        var headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("openai-processing-ms", "412"),
            ("x-ratelimit-remaining-requests", "9999"), ("x-request-id", "req_0123456789abcdef"),
            ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"),
        ])
        headers.add(contentsOf: extra)
        return HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    }

    /// The fields of ``providerHead(_:extra:)`` an answer carries, as `name: value` lines.
    private static let expectedLines = [
        "content-type: application/json", "openai-processing-ms: 412",
        "x-ratelimit-remaining-requests: 9999", "x-request-id: req_0123456789abcdef",
    ]

    private static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func fields(_ block: HPACKHeaders) -> [String] { block.map { "\($0.name): \($0.value)" } }

    @Test("an NIO client reads every answer's :status and fields, also once statuses fill the dynamic table")
    func clientReadsAnswers() throws {
        let pair = try H2CPair()
        // 429 and 502 are not in the static table: NIO's encoder indexes them, and later blocks refer to
        // the entries, so a splice that upset either side's table would show here.
        let statuses: [HTTPResponseStatus] = [.ok, .tooManyRequests, .badGateway, .tooManyRequests, .ok, .badGateway]
        for (index, status) in statuses.enumerated() {
            let id = HTTP2StreamID(1 + 2 * index)
            let block = try pair.answer(Self.providerHead(status), on: id)
            #expect(block.first(name: ":status") == String(status.code))
            #expect(Self.fields(block).dropFirst() == ArraySlice(Self.expectedLines))
        }
        // Spliced, not encoded by NIO: every field is a plain literal on the wire, after `:status`.
        for block in pair.sentBlocks() {
            #expect(Self.contains(block, "\u{14}openai-processing-ms\u{03}412"))
        }
        #expect(pair.sentBlocks().count == statuses.count)
        #expect(try pair.client.finish().isClean)
        _ = try pair.server.finish()
    }

    @Test("a block that begins with a dynamic table size update (the client shrank the table) still reads")
    func tableSizeUpdate() throws {
        let shrunk = nioDefaultSettings + [HTTP2Setting(parameter: .headerTableSize, value: 0)]
        let pair = try H2CPair(clientSettings: shrunk)
        let block = try pair.answer(Self.providerHead(.tooManyRequests), on: HTTP2StreamID(1))
        #expect(block.first(name: ":status") == "429")
        // The update (001 and a 5-bit size of 0) comes first, from NIO's encoder; the spliced fields follow.
        let sent = try #require(pair.sentBlocks().first)
        #expect(sent.first == 0x20)
        #expect(Self.contains(sent, "\u{14}openai-processing-ms"))
        #expect(Self.fields(block).dropFirst() == ArraySlice(Self.expectedLines))
        _ = try pair.client.finish()
        _ = try pair.server.finish()
    }

    @Test("content-length goes through NIO's encoder, which resets an answer whose DATA breaks it")
    func contentLengthIsChecked() throws {
        let pair = try H2CPair()
        // Announced 5 bytes, sends 2 ("{}") and ends the stream.
        let head = Self.providerHead(.ok, extra: [("content-length", "5")])
        let block = try pair.answer(head, on: HTTP2StreamID(1))
        #expect(block.first(name: "content-length") == "5")
        #expect(Self.fields(block).dropFirst(2) == ArraySlice(Self.expectedLines))
        let last = pair.collector.frames.last { $0.streamID == HTTP2StreamID(1) }
        guard case .rstStream(.internalError) = last?.payload else {
            Issue.record("the answer was not reset: \(String(describing: last))")
            return
        }
        // An answer that keeps to its length is not.
        let next = try pair.answer(Self.providerHead(.ok, extra: [("content-length", "2")]), on: HTTP2StreamID(3))
        #expect(next.first(name: "content-length") == "2")
        guard case .data(let data) = pair.collector.frames.last?.payload else {
            Issue.record("no DATA frame ended the second answer")
            return
        }
        #expect(data.endStream)
        _ = try pair.client.finish()
        _ = try pair.server.finish()
    }

    @Test("fields too many for one spliced frame go through NIO's encoder whole, and still arrive")
    func largeFieldsUseNIOsEncoder() throws {
        // A client that takes header lists of more than NIO's default 16 KiB.
        let pair = try H2CPair(clientSettings: [HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16)])
        let long = String(repeating: "a", count: 20_000)  // Huffman-coded by NIO to 12,500 bytes
        let block = try pair.answer(Self.providerHead(.ok, extra: [("x-long", long)]), on: HTTP2StreamID(1))
        #expect(block.first(name: ":status") == "200")
        #expect(block.first(name: "x-long") == long)
        #expect(!Self.contains(try #require(pair.sentBlocks().first), "openai-processing-ms"))  // Huffman-coded
        // And the next answer on the connection is spliced again.
        let next = try pair.answer(Self.providerHead(.ok), on: HTTP2StreamID(3))
        #expect(Self.fields(next).dropFirst() == ArraySlice(Self.expectedLines))
        _ = try pair.client.finish()
        _ = try pair.server.finish()
    }
}
