import SluiceGuard
import Testing

@Suite("SSN detector")
struct SSNDetectorTests {
    @Test(
        "finds issued numbers",
        arguments: [
            ("SSN 123-45-6789.", "123-45-6789"),
            ("his number is 570-08-5341", "570-08-5341"),
            ("123 45 6789", "123 45 6789"),
            ("ssn: 078051120", "078051120"),
            ("Social Security 899-99-9999", "899-99-9999"),
            ("001-01-0001", "001-01-0001"),
        ])
    func positives(text: String, value: String) {
        #expect(values(.ssn, in: text) == [value])
    }

    @Test(
        "never-issued ranges and look-alikes are not SSNs",
        arguments: [
            "000-12-3456", "666-12-3456", "900-12-3456", "999-45-6789", "123-00-4567", "123-45-0000",
            "123-45 6789",  // mixed separators
            "123456789",  // nine bare digits without context
            "order 123456789",
            "1123-45-6789", "123-45-67890", "123-45-6789-1",
            "2024-12-3456",
            "v123-45-6789",
            "ssn: 666123456",
        ])
    func negatives(text: String) {
        #expect(values(.ssn, in: text) == [])
    }
}
