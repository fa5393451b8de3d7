import SluiceLimits
import Testing

@Suite("OpenAI reset durations")
struct OpenAIDurationTests {
    static let ms: Int64 = 1_000_000
    static let s: Int64 = 1_000_000_000

    @Test(
        "written as Go writes a time.Duration, rounded up to the millisecond",
        arguments: [
            (Int64(0), "0s"),
            (-5 * s, "0s"),
            (1, "1ms"),
            (999_999, "1ms"),
            (1 * ms, "1ms"),
            (1 * ms + 1, "2ms"),
            (120 * ms, "120ms"),
            (999 * ms, "999ms"),
            (999 * ms + 1, "1s"),
            (1 * s, "1s"),
            (1 * s + 1, "1.001s"),
            (1_500 * ms, "1.5s"),
            (1_250 * ms, "1.25s"),
            (7_660 * ms, "7.66s"),
            (10 * s + 50 * ms, "10.05s"),
            (59_999 * ms, "59.999s"),
            (59_999 * ms + 1, "1m0s"),
            (60 * s, "1m0s"),
            (61 * s, "1m1s"),
            (90_500 * ms, "1m30.5s"),
            (360 * s, "6m0s"),
            (3_599 * s, "59m59s"),
            (3_600 * s, "1h0m0s"),
            (3_661 * s + 7 * ms, "1h1m1.007s"),
            (86_400 * s, "24h0m0s"),
            (Int64.max, "2562047h47m16.855s"),
        ] as [(Int64, String)]
    )
    func format(nanoseconds: Int64, text: String) {
        #expect(OpenAIDuration.format(nanoseconds: nanoseconds) == text)
    }

    @Test("retry-after is whole seconds rounded up, at least 1 for any wait")
    func retryAfterSeconds() {
        #expect(OpenAIDuration.retryAfterSeconds(0) == 0)
        #expect(OpenAIDuration.retryAfterSeconds(-1) == 0)
        #expect(OpenAIDuration.retryAfterSeconds(1) == 1)
        #expect(OpenAIDuration.retryAfterSeconds(Self.s) == 1)
        #expect(OpenAIDuration.retryAfterSeconds(Self.s + 1) == 2)
        #expect(OpenAIDuration.retryAfterSeconds(59 * Self.s + 1) == 60)
        #expect(OpenAIDuration.retryAfterSeconds(Int64.max) == 9_223_372_037)
    }

    @Test("retry-after-ms is whole milliseconds rounded up")
    func retryAfterMilliseconds() {
        #expect(OpenAIDuration.retryAfterMilliseconds(0) == 0)
        #expect(OpenAIDuration.retryAfterMilliseconds(-Self.s) == 0)
        #expect(OpenAIDuration.retryAfterMilliseconds(1) == 1)
        #expect(OpenAIDuration.retryAfterMilliseconds(Self.ms) == 1)
        #expect(OpenAIDuration.retryAfterMilliseconds(Self.ms + 1) == 2)
        #expect(OpenAIDuration.retryAfterMilliseconds(1_500 * Self.ms) == 1_500)
    }
}
