import Testing

@testable import SluicePolicy

@Suite("Provider base URLs")
struct UpstreamURLTests {
    @Test(
        "parses http and https URLs with optional port and path",
        arguments: [
            (
                "https://api.openai.com/v1",
                UpstreamURL(scheme: "https", host: "api.openai.com", port: 443, basePath: "/v1")
            ),
            (
                "https://api.anthropic.com",
                UpstreamURL(scheme: "https", host: "api.anthropic.com", port: 443, basePath: "")
            ),
            (
                "https://api.anthropic.com/",
                UpstreamURL(scheme: "https", host: "api.anthropic.com", port: 443, basePath: "")
            ),
            ("http://localhost:8000/v1/", UpstreamURL(scheme: "http", host: "localhost", port: 8000, basePath: "/v1")),
            ("http://127.0.0.1", UpstreamURL(scheme: "http", host: "127.0.0.1", port: 80, basePath: "")),
            (
                "HTTPS://example.com:8443/a/b",
                UpstreamURL(scheme: "https", host: "example.com", port: 8443, basePath: "/a/b")
            ),
            ("http://[::1]:11434/v1", UpstreamURL(scheme: "http", host: "::1", port: 11434, basePath: "/v1")),
            ("http://[::1]", UpstreamURL(scheme: "http", host: "::1", port: 80, basePath: "")),
        ]
    )
    func parses(text: String, expected: UpstreamURL) {
        #expect(UpstreamURL(text) == expected)
    }

    @Test(
        "says why a URL is unusable",
        arguments: [
            ("api.openai.com/v1", UpstreamURL.ParseFailure.notAURL),
            ("://x", .notAURL),
            ("ftp://files.example.com", .unsupportedScheme("ftp")),
            ("https://user:pw@example.com", .credentials),
            ("https://example.com/v1?key=1", .queryOrFragment),
            ("https://example.com/#x", .queryOrFragment),
            ("https:///v1", .missingHost),
            ("https://:443", .missingHost),
            ("https://exa mple.com", .badHost),
            ("https://[::1", .badHost),
            ("https://example.com:0", .badPort),
            ("https://example.com:99999", .badPort),
            ("https://example.com:", .badPort),
            ("https://example.com/v 1", .badPath),
        ]
    )
    func failures(text: String, failure: UpstreamURL.ParseFailure) {
        #expect(UpstreamURL.parse(text) == .failure(failure))
    }

    @Test("prints without a default port, brackets IPv6, and knows when it is TLS")
    func description() throws {
        #expect(try #require(UpstreamURL("https://api.openai.com:443/v1/")).description == "https://api.openai.com/v1")
        #expect(try #require(UpstreamURL("http://[::1]:8000")).description == "http://[::1]:8000")
        #expect(try #require(UpstreamURL("https://x.example")).isTLS)
        #expect(try #require(UpstreamURL("http://x.example")).isTLS == false)
    }

    @Test("default base URLs by provider type")
    func defaults() {
        #expect(ProviderType.openai.defaultBaseURL?.description == "https://api.openai.com/v1")
        #expect(ProviderType.anthropic.defaultBaseURL?.description == "https://api.anthropic.com")
        #expect(ProviderType.gemini.defaultBaseURL?.description == "https://generativelanguage.googleapis.com/v1beta")
        #expect(ProviderType.mock.defaultBaseURL == nil)
        #expect(ProviderType.azure.defaultBaseURL == nil)
        #expect(ProviderType.bedrock.defaultBaseURL == nil)
    }
}
