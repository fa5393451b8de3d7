import Testing

@testable import SluicePolicy

@Suite("Durations in the policy")
struct DurationTextTests {
    @Test(
        "parses what operators write",
        arguments: [
            ("250ms", Duration.milliseconds(250)),
            ("2s", .seconds(2)),
            ("5m", .seconds(300)),
            ("1h", .seconds(3600)),
            ("1.5s", .milliseconds(1500)),
            ("0.25s", .milliseconds(250)),
            ("1.1s", .milliseconds(1100)),
            ("1m30s", .seconds(90)),
            ("1h0m5s", .seconds(3605)),
            ("0s", .zero),
            ("0ms", .zero),
            ("20s", .seconds(20)),
            ("0.5ms", .microseconds(500)),
            ("007s", .seconds(7)),
        ]
    )
    func parses(text: String, expected: Duration) {
        #expect(parseDuration(text) == expected)
    }

    @Test(
        "rejects what is not a duration",
        arguments: [
            "", "10", "-1s", "+1s", "5x", "2 sec", "2 s", " 2s", "2s ", "s", "ms", "1.s", ".5s", "1,5s", "2S", "2sec",
            "1d", "5µs", "1s-", "abc", "9999999999999h",
        ]
    )
    func rejects(text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test(
        "writes durations the way a policy would",
        arguments: [
            (Duration.seconds(20), "20s"),
            (.milliseconds(200), "200ms"),
            (.seconds(300), "5m"),
            (.seconds(7200), "2h"),
            (.seconds(90), "90s"),
            (.milliseconds(1500), "1500ms"),
            (.zero, "0s"),
            (.microseconds(250), "0.25ms"),
            (.nanoseconds(1), "0.000001ms"),
            (.seconds(Int64.max), "\(Int64.max)s"),
        ]
    )
    func formats(duration: Duration, text: String) {
        #expect(formatDuration(duration) == text)
    }

    @Test(
        "formatting then parsing gives the duration back",
        arguments: ["1.5s", "250ms", "1m30s", "0.000001ms", "3h", "1.123456789s", "59m59s"]
    )
    func roundTrips(text: String) throws {
        let duration = try #require(parseDuration(text))
        #expect(parseDuration(formatDuration(duration)) == duration)
    }
}
