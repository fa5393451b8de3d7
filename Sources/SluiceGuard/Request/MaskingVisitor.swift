/// Scans each text the walker hands it, counts findings, and (for `mask`) returns the text with
/// placeholders in place.
struct MaskingVisitor: TextVisitor {
    let scanner: RedactionScanner
    let masks: Bool
    var table: MaskTable
    var counts = FindingCounts()

    init(scanner: RedactionScanner, masks: Bool, table: MaskTable = MaskTable()) {
        self.scanner = scanner
        self.masks = masks
        self.table = table
    }

    mutating func visit(text: UnsafeRawBufferPointer) -> [UInt8]? {
        let findings = scanner.scan(text)
        guard !findings.isEmpty else { return nil }
        for finding in findings { counts.add(finding.type) }
        guard masks else { return nil }
        return Masker.mask(text, findings: findings, table: &table)
    }

    /// A number in tool input (`{"card": 4111111111111111}`) is masked when one finding covers it.
    mutating func visit(number: UnsafeRawBufferPointer) -> [UInt8]? {
        let findings = scanner.scan(number)
        guard findings.count == 1, findings[0].range == 0..<number.count else { return nil }
        counts.add(findings[0].type)
        guard masks else { return nil }
        return Masker.mask(number, findings: findings, table: &table)
    }
}
