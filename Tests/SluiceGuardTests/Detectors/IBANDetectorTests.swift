import SluiceGuard
import Testing

@Suite("IBAN detector")
struct IBANDetectorTests {
    @Test(
        "finds valid IBANs, bare or grouped",
        arguments: [
            ("pay to GB82WEST12345698765432 please", "GB82WEST12345698765432"),
            ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
            ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
            ("FR1420041010050500013M02606", "FR1420041010050500013M02606"),
            ("NO9386011117947", "NO9386011117947"),
            ("iban: CH9300762011623852957.", "CH9300762011623852957"),
            ("GB38EMUB18159083016613", "GB38EMUB18159083016613"),
        ])
    func positives(text: String, value: String) {
        #expect(values(.iban, in: text) == [value])
    }

    @Test(
        "wrong check digits, lengths and countries are not IBANs",
        arguments: [
            "GB82WEST12345698765433",  // mod-97 fails
            "GB82WEST1234569876543",  // one short
            "GB82WEST123456987654321",  // one long
            "ZZ82WEST12345698765432",  // no such country
            "gb82west12345698765432",  // lower case
            "XGB82WEST12345698765432",
            "DE89 3704 0044 0532 0130 0",
            "DE89 37040 044 0532 0130 00",
            "US12 3456",
            "AB12",
        ])
    func negatives(text: String) {
        #expect(values(.iban, in: text) == [])
    }
}
