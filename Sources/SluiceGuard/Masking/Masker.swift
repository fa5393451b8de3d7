/// Replaces findings with typed placeholders (`[EMAIL_1]`, `[PHONE_2]`), recording each in a
/// ``MaskTable`` so the answer can be restored.
public enum Masker {
    /// `bytes` with every finding replaced by its placeholder; findings must be in text order
    /// and must not overlap (as ``RedactionScanner`` returns them).
    public static func mask(_ bytes: UnsafeRawBufferPointer, findings: [Finding], table: inout MaskTable) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + findings.count * 8)
        append(bytes, findings: findings, table: &table, to: &output)
        return output
    }

    /// `text` with every finding replaced by its placeholder.
    public static func mask(_ text: String, findings: [Finding], table: inout MaskTable) -> String {
        guard !findings.isEmpty else { return text }
        var copy = text
        let masked = copy.withUTF8 { mask(UnsafeRawBufferPointer($0), findings: findings, table: &table) }
        return String(decoding: masked, as: UTF8.self)
    }

    /// Appends `bytes` with findings replaced to `output`.
    static func append(
        _ bytes: UnsafeRawBufferPointer, findings: [Finding], table: inout MaskTable, to output: inout [UInt8]
    ) {
        var copied = 0
        for finding in findings {
            let range = finding.range.clamped(to: copied..<bytes.count)
            guard !range.isEmpty else { continue }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<range.lowerBound]))
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            output.append(contentsOf: table.placeholder(for: value, type: finding.type).utf8)
            copied = range.upperBound
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied...]))
    }
}
