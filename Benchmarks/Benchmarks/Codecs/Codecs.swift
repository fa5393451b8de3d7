import Benchmark
import Foundation
import SluiceGuard
import SluiceLLM

/// Recorded traffic from ../shared/fixtures/wire: the request and stream chunk Sluice handles most.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/wire")

    static func load(_ name: String) -> (request: [UInt8], response: [UInt8]) {
        let data = try! Data(contentsOf: directory.appendingPathComponent(name))
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let request = (object["request"] as! [String: Any])["body"] as! String
        let response = (object["response"] as! [String: Any])["body"] as! String
        return (Array(request.utf8), Array(response.utf8))
    }
}

let benchmarks: @Sendable () -> Void = {
    let chat = Fixture.load("openai-chat-tools.json")
    let stream = Fixture.load("openai-chat-streaming-usage.json")
    // One SSE frame, as a provider sends one chunk of a streamed answer.
    let frame: [UInt8] = {
        let text = String(decoding: stream.response, as: UTF8.self)
        let first = text.components(separatedBy: "\n\n").first(where: { $0.contains("\"content\"") })!
        return Array((first + "\n\n").utf8)
    }()
    let fields: Set<String> = ["model", "stream", "messages"]
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])

    Benchmark("decode chat request: scan model/stream/messages", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! BodyScan.scan(chat.request, fields: fields))
        }
    }

    Benchmark("decode chat request: Foundation JSONSerialization (for comparison)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! JSONSerialization.jsonObject(with: Data(chat.request)))
        }
    }

    Benchmark("encode chat request: swap the model name", configuration: configuration) { benchmark in
        let scan = try! BodyScan.scan(chat.request, fields: fields)
        let range = scan["model"]!.valueRange
        for _ in benchmark.scaledIterations {
            blackHole(JSONText.replacing(chat.request, range: range, with: JSONText.quoted("gpt-4o-mini")))
        }
    }

    Benchmark("decode stream chunk: SSE parse", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = SSEParser()
            blackHole(parser.feed(frame))
        }
    }

    Benchmark("decode stream: usage sniff over a whole recorded stream", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var sniffer = UsageSniffer(framing: .sse)
            sniffer.feed(stream.response)
            blackHole(sniffer.usage)
        }
    }

    Benchmark(
        "filter stream: validate every chunk of a whole recorded stream, take its usage", configuration: configuration
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            var filter = StreamEventFilter(dropsUsage: false)
            blackHole(stream.response.withUnsafeBytes { filter.filter($0) })
            blackHole(filter.takeUsage())
        }
    }

    Benchmark(
        "hold stream: find the first content of a whole recorded stream", configuration: configuration
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            var detector = FirstContentDetector()
            blackHole(stream.response.withUnsafeBytes { detector.feed($0) })
        }
    }

    Benchmark("encode stream chunks: mock provider answer as SSE frames", configuration: configuration) { benchmark in
        let request = Array(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}"#.utf8)
        for _ in benchmark.scaledIterations {
            blackHole(try! MockProvider().chatCompletionStream(request, model: "m", id: "id", created: 0))
        }
    }

    // Redaction: a typical 4 KiB chat prompt with a few findings, all built-in detectors on.
    let prompt: [UInt8] = {
        let sentence = "Please summarise the ticket from ada.lovelace@example.com, phone +1 415 555 0137, "
            + "card 4111 1111 1111 1111, about release 1.2.3 on server 10.0.0.12 and the order 1234-5678. "
        var text = ""
        while text.utf8.count < 4000 { text += sentence }
        return Array(#"{"model":"m","messages":[{"role":"user","content":"\#(text)"}]}"#.utf8)
    }()
    let rules = try! RedactionRules(detectors: ["email", "phone", "credit_card", "ssn", "iban", "ip_address", "secret"])
    let redactor = RequestRedactor(rules: rules)

    Benchmark("redact a 4 KiB chat request, all detectors", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(redactor.redact(body: prompt, endpoint: .chatCompletions))
        }
    }
}
