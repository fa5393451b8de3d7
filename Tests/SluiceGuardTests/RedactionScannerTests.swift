import SluiceGuard
import Testing

@Suite("redaction scanner")
struct RedactionScannerTests {
    @Test("finds every type in one text, in order, with exact byte ranges")
    func mixed() {
        let text = """
            Hi, I'm Zoë. Mail zoe@example.com or call +44 20 7946 0958 / (415) 555-2671.
            Card 4111 1111 1111 1111, SSN 123-45-6789, IBAN GB82 WEST 1234 5698 7654 32.
            Server 10.1.2.3 and 2001:db8::7; key \(SecretDetectorTests.aws).
            """
        #expect(
            found(text) == [
                Found("email", "zoe@example.com"), Found("phone", "+44 20 7946 0958"), Found("phone", "(415) 555-2671"),
                Found("credit_card", "4111 1111 1111 1111"), Found("ssn", "123-45-6789"),
                Found("iban", "GB82 WEST 1234 5698 7654 32"), Found("ip_address", "10.1.2.3"),
                Found("ip_address", "2001:db8::7"), Found("secret", SecretDetectorTests.aws),
            ])
    }

    @Test("only the detectors asked for run")
    func subset() {
        let text = "zoe@example.com 4111111111111111 10.1.2.3"
        #expect(found(text, [.ipAddress]) == [Found("ip_address", "10.1.2.3")])
        #expect(found(text, []) == [])
        #expect(RedactionScanner(detectors: []).isEmpty)
    }

    @Test(
        "prose, code, dates, prices and ids give nothing",
        arguments: [
            "The quick brown fox jumps over the lazy dog. It's 2024-05-01 and costs $1,299.99 (or €1.299,99).",
            "let x = arr[3]; for (i = 0; i < 10; i++) { sum += i * 2 }",
            "Order #4111111111111112 shipped on 05/12/2024 at 10:30.",
            "uuid 123e4567-e89b-12d3-a456-426614174000, sha 9f86d081884c7d659a2feaa0c55ad015",
            "Released v2.3.1 (build 2.3.1.4521) for Android 14.",
            "Call me maybe. Room 12, floor 3, 1600 Pennsylvania Avenue.",
            "",
        ])
    func quiet(text: String) {
        #expect(found(text) == [])
    }

    @Test("a finding's description names type and place, never the value")
    func description() {
        let findings = RedactionScanner().scan("mail zoe@example.com")
        #expect(findings.map(\.description) == ["email@5..20"])
    }

    @Test("text at the very start and end, and glued to punctuation")
    func edges() {
        #expect(found("zoe@example.com") == [Found("email", "zoe@example.com")])
        #expect(found("10.1.2.3") == [Found("ip_address", "10.1.2.3")])
        #expect(
            found("(10.1.2.3),[zoe@example.com];") == [
                Found("ip_address", "10.1.2.3"), Found("email", "zoe@example.com"),
            ])
    }
}
