import SluiceGuard

/// What a scan found in `text`, as `(type, value)` pairs in text order: tests compare values,
/// the library never hands them out.
func found(_ text: String, _ detectors: Set<BuiltinDetector> = Set(BuiltinDetector.allCases)) -> [Found] {
    let scanner = RedactionScanner(detectors: detectors)
    let bytes = Array(text.utf8)
    return scanner.scan(text).map { finding in
        Found(finding.type.name, String(decoding: bytes[finding.range], as: UTF8.self))
    }
}

/// The values of type `type` found in `text` by that detector alone.
func values(_ detector: BuiltinDetector, in text: String) -> [String] {
    found(text, [detector]).map(\.value)
}

/// One finding with its value, for comparing in tests.
struct Found: Hashable, CustomStringConvertible {
    var type: String
    var value: String

    init(_ type: String, _ value: String) {
        self.type = type
        self.value = value
    }

    var description: String { "\(type):\(value)" }
}
