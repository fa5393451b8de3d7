import SluiceGuard
import Testing

@Suite("email detector")
struct EmailDetectorTests {
    @Test(
        "finds addresses in their usual forms",
        arguments: [
            ("write to alice@example.com today", "alice@example.com"),
            ("Mail: John.Smith+billing@mail.example.co.uk.", "John.Smith+billing@mail.example.co.uk"),
            ("<bob_o-neil@sub-domain.example.org>", "bob_o-neil@sub-domain.example.org"),
            ("mailto:x.y@example.io?subject=hi", "x.y@example.io"),
            ("(carol99@example.net)", "carol99@example.net"),
            ("\"dave@example.com\",", "dave@example.com"),
            ("RomildaHeus@armyspy.com", "RomildaHeus@armyspy.com"),
            ("contact: 100%real@example.com", "100%real@example.com"),
            ("ends a sentence: eve@example.com.", "eve@example.com"),
            ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
        ])
    func positives(text: String, value: String) {
        #expect(values(.email, in: text) == [value])
    }

    @Test(
        "leaves look-alikes alone",
        arguments: [
            "follow @alice on social media",
            "@Test(\"name\") func f()",
            "root@localhost is the admin",
            "icon@2x.png and logo@3x.jpg",
            "a@b",
            "price: 3 @ $4.00",
            "user@.example.com",
            "user@example..com",
            "user.@example.com",
            "user..name@example.com",
            "x@-example.com",
            "x@example-.com",
            "x@example.c",
            "x@example.123",
            "npm install @types/node@18.2.0",
            "git log --since=2024-01-01 HEAD@{2}",
        ])
    func negatives(text: String) {
        #expect(values(.email, in: text) == [])
    }

    @Test("several addresses, each once")
    func several() {
        #expect(
            values(.email, in: "a@example.com, b@example.org; a@example.com") == [
                "a@example.com", "b@example.org", "a@example.com",
            ])
    }
}
