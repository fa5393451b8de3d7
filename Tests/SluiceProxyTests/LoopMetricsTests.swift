import Testing

@testable import SluiceProxy

@Suite("Per-loop metric handles: each request counted under its own model, provider and status")
struct LoopMetricsTests {
    /// The value of the sample line that starts with `prefix` in `/metrics`' text, if there is one.
    private static func sample(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    @Test("requests, latency and tokens land on their own label sets, whatever order models come in")
    func countsPerLabelSet() {
        let metrics = GatewayMetrics()
        let loop = LoopMetrics(metrics: metrics)
        let calls: [(String, String, Int, Int?)] = [
            ("gpt", "openai", 200, 5), ("gpt", "openai", 200, 7), ("gpt", "openai", 429, nil),
            ("claude", "anthropic", 200, 11), ("gpt", "azure", 200, 13), ("gpt", "openai", 200, nil),
        ]
        for (model, provider, status, prompt) in calls {
            loop.record(
                model: model, provider: provider, status: status, latencyNanoseconds: 1_000_000,
                promptTokens: prompt, completionTokens: prompt.map { $0 + 1 })
        }
        let text = metrics.render()
        let requests = #"sluice_requests_total{model="gpt",provider="openai",status=""#
        #expect(Self.sample(text, requests + #"200"} "#) == "3")
        #expect(Self.sample(text, requests + #"429"} "#) == "1")
        #expect(Self.sample(text, #"sluice_requests_total{model="claude",provider="anthropic",status="200"} "#) == "1")
        #expect(Self.sample(text, #"sluice_requests_total{model="gpt",provider="azure",status="200"} "#) == "1")
        #expect(Self.sample(text, #"sluice_request_duration_seconds_count{model="gpt",provider="openai"} "#) == "4")
        #expect(Self.sample(text, #"sluice_request_duration_seconds_count{model="gpt",provider="azure"} "#) == "1")
        let tokens = #"sluice_tokens_total{model="gpt",provider="openai",kind="#
        #expect(Self.sample(text, tokens + #""prompt"} "#) == "12")
        #expect(Self.sample(text, tokens + #""completion"} "#) == "14")
        #expect(Self.sample(text, #"sluice_tokens_total{model="claude",provider="anthropic",kind="prompt"} "#) == "11")
    }
}
