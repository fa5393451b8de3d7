import SluiceGuard
import Testing

@Suite("credit card detector")
struct CreditCardDetectorTests {
    @Test(
        "finds Luhn-valid card numbers",
        arguments: [
            ("card 4111111111111111 exp 12/29", "4111111111111111"),
            ("4111 1111 1111 1111", "4111 1111 1111 1111"),
            ("4111-1111-1111-1111", "4111-1111-1111-1111"),
            ("amex 378282246310005", "378282246310005"),
            ("3782 822463 10005", "3782 822463 10005"),
            ("5555555555554444", "5555555555554444"),
            ("2223003122003222", "2223003122003222"),
            ("6011111111111117", "6011111111111117"),
            ("diners 30569309025904", "30569309025904"),
            ("jcb 3530111333300000", "3530111333300000"),
            ("visa13 4222222222222", "4222222222222"),
            ("19 digits 4111111111111111110", "4111111111111111110"),
            ("maestro card 503807764264", "503807764264"),
            ("cc 4218196001337 on file", "4218196001337"),
        ])
    func positives(text: String, value: String) {
        #expect(values(.creditCard, in: text) == [value])
    }

    @Test(
        "leaves look-alikes alone",
        arguments: [
            "order 4111111111111112",  // Luhn fails
            "4111 1111 1111 1112",
            "tracking 1234567812345678",  // Luhn fails
            "id 9111111111111111",  // no issuer starts with 9
            "id 0000000000000000",
            "1111111111111117",  // Luhn passes, prefix 1 is no card network
            "4111-1111 1111-1111",  // mixed separators
            "41111 11111 11111 1",  // groups not of four
            "4111111111111111.5",
            "4111111111111111@example.com",
            "x4111111111111111",
            "503807764264",  // 12 digits without a card word
            "41111111111111111111111",  // too long
            "4111 1111 1111 1111 1111 1111",
            "uuid 4111111111111111-aaaa",
        ])
    func negatives(text: String) {
        #expect(values(.creditCard, in: text) == [])
    }
}
