import SluiceGuard
import Testing

@Suite("masker and mask table")
struct MaskerTests {
    @Test("typed placeholders, numbered per type, the same value keeping its placeholder")
    func numbering() {
        var table = MaskTable()
        let text = "a@example.com, +44 20 7946 0958, b@example.com, a@example.com, +1 415 555 2671"
        let masked = Masker.mask(text, findings: RedactionScanner().scan(text), table: &table)
        #expect(masked == "[EMAIL_1], [PHONE_1], [EMAIL_2], [EMAIL_1], [PHONE_2]")
        #expect(table.count == 4)
        #expect(table.value(for: "[EMAIL_2]") == "b@example.com")
        #expect(table.value(for: "[PHONE_2]") == "+1 415 555 2671")
        #expect(table.value(for: "[EMAIL_3]") == nil)
        #expect(table.longestPlaceholder == "[EMAIL_1]".utf8.count)
    }

    @Test("numbering carries across texts of one request")
    func acrossTexts() {
        var table = MaskTable()
        let scanner = RedactionScanner()
        let first = Masker.mask("x@example.com", findings: scanner.scan("x@example.com"), table: &table)
        let second = Masker.mask(
            "y@example.com x@example.com", findings: scanner.scan("y@example.com x@example.com"), table: &table)
        #expect(first == "[EMAIL_1]")
        #expect(second == "[EMAIL_2] [EMAIL_1]")
    }

    @Test("custom names become labels; labels that collide still get distinct placeholders")
    func customLabels() {
        var table = MaskTable()
        #expect(table.placeholder(for: "EMP-1", type: EntityType("employee-id")) == "[EMPLOYEE_ID_1]")
        #expect(table.placeholder(for: "EMP-2", type: EntityType("employee_id")) == "[EMPLOYEE_ID_2]")
        #expect(table.placeholder(for: "EMP-1", type: EntityType("employee-id")) == "[EMPLOYEE_ID_1]")
        #expect(EntityType("über").label == "_BER")
    }

    @Test("printing or dumping a table shows no value")
    func noValueLeaks() {
        var table = MaskTable()
        _ = table.placeholder(for: "secret@example.com", type: .email)
        #expect("\(table)" == "MaskTable(1 values)")
        #expect(!String(reflecting: table).contains("secret"))
        var dumped = ""
        dump(table, to: &dumped)
        #expect(!dumped.contains("secret"))
    }
}
