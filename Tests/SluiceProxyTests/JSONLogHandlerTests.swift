#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import SluiceProxy

@Suite("JSON log lines and how they reach the descriptor")
struct JSONLogHandlerTests {
    /// A pipe whose read end the test drains.
    final class Pipe {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw POSIXFailure(step: "pipe") }
            self.readEnd = ends[0]
            self.writeEnd = ends[1]
            // Non-blocking reads: "nothing written yet" is an answer, not a hang.
            _ = fcntl(self.readEnd, F_SETFL, fcntl(self.readEnd, F_GETFL) | O_NONBLOCK)
        }

        func readAvailable() -> String {
            var collected: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(self.readEnd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                collected += chunk[..<count]
            }
            return String(decoding: collected, as: UTF8.self)
        }

        deinit {
            close(self.readEnd)
            close(self.writeEnd)
        }
    }

    struct POSIXFailure: Error { var step: String }

    @Test("lines logged in one event-loop turn are written together when the turn ends, in order")
    func batchedOnLoop() async throws {
        let pipe = try Pipe()
        let sink = LineSink(fileDescriptor: pipe.writeEnd)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let seenDuringTurn = try await loop.submit { () -> String in
            for index in 0..<100 { sink.write(Array("line \(index)\n".utf8)) }
            return pipe.readAvailable()
        }.get()
        #expect(seenDuringTurn.isEmpty)
        // The flush runs as a task of the same loop, after the turn that logged.
        try await loop.submit {}.get()
        let lines = pipe.readAvailable().split(separator: "\n")
        #expect(lines == (0..<100).map { "line \($0)"[...] })
    }

    @Test("turn after turn, the buffer written last is filled again: every line once, in order")
    func buffersReused() async throws {
        let pipe = try Pipe()
        let sink = LineSink(fileDescriptor: pipe.writeEnd)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var written = ""
        for turn in 0..<4 {
            try await loop.submit { for index in 0..<50 { sink.write(Array("t\(turn) \(index)\n".utf8)) } }.get()
            try await loop.submit {}.get()
            written += pipe.readAvailable()
        }
        sink.write(Array("off-loop\n".utf8))
        written += pipe.readAvailable()
        let expected = (0..<4).flatMap { turn in (0..<50).map { "t\(turn) \($0)\n" } }.joined() + "off-loop\n"
        #expect(written == expected)
    }

    @Test("a warning logged on a loop is written at once, after the lines waiting before it")
    func warningsAtOnce() async throws {
        let (pipe, _, logger) = try Self.pipedHandler()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let seenDuringTurn = try await loop.submit { () -> String in
            logger.info("first")
            logger.error("broken")
            return pipe.readAvailable()
        }.get()
        let lines = seenDuringTurn.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""msg":"first""#) == true)
        #expect(lines.last?.contains(#""level":"error","msg":"broken""#) == true)
    }

    @Test("a line logged off the loops is written at once, after any lines still waiting")
    func immediateOffLoop() async throws {
        let pipe = try Pipe()
        let sink = LineSink(fileDescriptor: pipe.writeEnd)
        sink.write(Array("off-loop\n".utf8))
        #expect(pipe.readAvailable() == "off-loop\n")
        sink.flush()
        #expect(pipe.readAvailable().isEmpty)
    }

    @Test("a line is one JSON object with the message and the metadata as top-level keys")
    func lineShape() async throws {
        let (pipe, _, logger) = try Self.pipedHandler()
        logger.info("access", metadata: ["status": .stringConvertible(200), "model": .string("a\"b\nc")])
        let line = pipe.readAvailable()
        #expect(line.hasPrefix(#"{"ts":""#))
        #expect(line.hasSuffix("}\n"))
        #expect(line.contains(#""level":"info","msg":"access""#))
        #expect(line.contains(#""status":200"#))
        #expect(line.contains(#""model":"a\"b\nc""#))
    }

    /// A JSON handler writing into a new pipe, and a logger that uses it.
    static func pipedHandler() throws -> (Pipe, JSONLogHandler, Logger) {
        let pipe = try Pipe()
        let handler = JSONLogHandler(label: "test", fileDescriptor: pipe.writeEnd)
        return (pipe, handler, Logger(label: "test", factory: { _ in handler }))
    }

    /// A chat request's access record.
    static func accessRecord(
        id: String, protocolName: String, status: Int, latencyMicroseconds: Int64, stream: Bool
    ) -> AccessRecord {
        AccessRecord(
            requestID: id, method: "POST", path: "/v1/chat/completions", protocolName: protocolName,
            model: "gpt-4o", provider: "openai", status: status, latencyMicroseconds: latencyMicroseconds,
            stream: stream)
    }

    /// Logs `record` through `logger`, as any handler but the JSON one gets it.
    static func logAccess(_ record: AccessRecord, to logger: Logger) {
        let fields = JSONLogFieldsValue.wrapping(record)
        logger.info("access", metadata: [JSONLogHandler.fieldsKey: .stringConvertible(fields)])
    }

    @Test("an access record's fields are top-level keys of the line; other handlers get them as JSON text")
    func accessRecord() throws {
        let (pipe, _, logger) = try Self.pipedHandler()
        var record = Self.accessRecord(
            id: "req_1", protocolName: "HTTP/1.1", status: 200, latencyMicroseconds: 1250, stream: false)
        record.promptTokens = 12
        record.note = "said \"hi\""
        Self.logAccess(record, to: logger)
        let line = pipe.readAvailable()
        #expect(line.contains(#""msg":"access","request_id":"req_1","method":"POST""#))
        #expect(line.contains(#""status":200,"latency_ms":1.250,"stream":false,"prompt_tokens":12,"note":"said \"hi\"""#))
        #expect(!line.contains("completion_tokens"))
        #expect(!line.contains(JSONLogHandler.fieldsKey))
        let text = JSONLogFieldsValue.wrapping(record).description
        #expect(text.hasPrefix(#"{"request_id":"req_1","#))
        #expect(text.hasSuffix(#""note":"said \"hi\""}"#))
        record.latencyMicroseconds = 12_003_045
        #expect(JSONLogFieldsValue.wrapping(record).description.contains(#""latency_ms":12003.045,"#))
    }

    @Test("an access line written directly is the line logging it through a Logger writes; only a plain handler does")
    func accessLineDirectly() throws {
        let (pipe, handler, logger) = try Self.pipedHandler()
        var record = Self.accessRecord(
            id: "req_2", protocolName: "HTTP/2", status: 429, latencyMicroseconds: 87, stream: true)
        record.error = "rate_limited"
        record.note = "line\nbreak"
        Self.logAccess(record, to: logger)
        let throughLogger = pipe.readAvailable()
        #expect(handler.writesInfoDirectly)
        handler.writeInfo("access", fields: record)
        let direct = pipe.readAvailable()
        // Equal but for the time: `{"ts":"2026-12-08T04:50:01.123Z",` is 33 bytes.
        #expect(direct.count == throughLogger.count)
        #expect(direct.dropFirst(33) == throughLogger.dropFirst(33))
        #expect(direct.hasSuffix("}\n"))

        // The handler's own metadata (a sidecar's workload) goes before the fields.
        var withMetadata = handler
        withMetadata[metadataKey: "sidecar_workload"] = "billing"
        #expect(withMetadata.writesInfoDirectly)
        withMetadata.writeInfo("access", fields: record)
        let labelled = pipe.readAvailable()
        let fieldsStart = try #require(throughLogger.firstRange(of: #""request_id""#)).lowerBound
        #expect(labelled.dropFirst(33).hasPrefix(#""level":"info","msg":"access","sidecar_workload":"billing","#))
        #expect(labelled.hasSuffix(throughLogger[fieldsStart...]))
        var provided = handler
        provided.metadataProvider = Logger.MetadataProvider { ["trace": "t"] }
        #expect(!provided.writesInfoDirectly)
        var quiet = handler
        quiet.logLevel = .warning
        #expect(!quiet.writesInfoDirectly)
        #expect(JSONLogHandler.directWriter(of: logger) != nil)
        #expect(JSONLogHandler.directWriter(of: Logger(label: "quiet", factory: { _ in quiet })) == nil)
        let other = Logger(label: "other", factory: { _ in SwiftLogNoOpLogHandler() })
        #expect(JSONLogHandler.directWriter(of: other) == nil)
    }

    @Test("timestamps are gmtime's UTC date and time, with milliseconds, across centuries, leap days and midnights")
    func timestampsMatchGmtime() {
        var generator = SystemRandomNumberGenerator()
        // The epoch and its first midnight, 2000-02-29 (a leap century), 2100-03-01 (no leap day), 2025-12-08,
        // and the last second of 9999.
        var instants: [Int64] = [
            0, 86_399, 86_400, 951_782_399, 951_782_400, 4_107_542_400, 1_765_152_000, 253_402_300_799,
        ]
        for _ in 0..<2_000 { instants.append(Int64.random(in: 0...253_402_300_799, using: &generator)) }
        for seconds in instants {
            var time = time_t(seconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            func pad(_ value: Int32, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            let expected =
                "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
                + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).042Z"
            var line: [UInt8] = []
            Timestamp.appendISO8601(unixSeconds: seconds, milliseconds: 42, to: &line)
            #expect(String(decoding: line, as: UTF8.self) == expected, "at \(seconds)")
        }
    }
}
