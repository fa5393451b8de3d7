/// Parses a policy size: a number of bytes, optionally with a unit.
///
/// Decimal units (`kB`/`KB`, `MB`, `GB`) are powers of 1000 and binary units (`KiB`, `MiB`,
/// `GiB`, and Kubernetes' `Ki`, `Mi`, `Gi`) powers of 1024, as their standards define them.
/// A bare number is bytes. Fractions are accepted when they come to whole bytes (`1.5KiB`).
/// Rejects an empty text, a sign, spaces and unknown units.
///
/// - Returns: the size in bytes, or nil when `text` is not a size or does not fit in `Int`.
public func parseByteSize(_ text: String) -> Int? {
    guard let (number, rest) = DecimalText.prefix(of: Substring(text)) else { return nil }
    guard let multiplier = byteUnits[String(rest)] else { return nil }
    guard let scaled = number.scaled(by: multiplier), scaled.exact else { return nil }
    return Int(exactly: scaled.whole)
}

/// Every unit `parseByteSize` accepts and its size in bytes.
private let byteUnits: [String: Int64] = [
    "": 1, "B": 1,
    "kB": 1000, "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000,
    "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
    "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30,
]
