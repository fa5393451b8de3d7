import Testing

@testable import SluiceLLM

@Suite("UsageCounts")
struct UsageCountsTests {
    @Test("holds every counter, each on its own")
    func everyCounterFits() {
        #expect(UsageCounter.allCases.count <= UsageCounts.capacity)
        for counter in UsageCounter.allCases {
            var counts = UsageCounts()
            #expect(counts[counter] == nil)
            counts[counter] = counter.rawValue + 100
            for other in UsageCounter.allCases {
                #expect(counts[other] == (other == counter ? counter.rawValue + 100 : nil))
            }
        }
    }

    @Test("the deepest usage path (message, usage, a details object) is followed")
    func deepestPath() {
        var sniffer = UsageSniffer(framing: .json)
        sniffer.feed(Array(#"{"message":{"usage":{"input_tokens":7,"output_tokens":2,"#.utf8))
        sniffer.feed(Array(#""prompt_tokens_details":{"x":{"y":[1]}},"cache_read_input_tokens":3}}}"#.utf8))
        #expect(sniffer.usage == Usage(promptTokens: 10, completionTokens: 2, cachedTokens: 3, cacheCreationTokens: 0))
    }
}
