/// Builds compact JSON bytes in the order the caller writes them, so generated bodies keep the
/// providers' key order. Commas are placed automatically.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var first = true
    private var afterKey = false
    private var outer: [Bool] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        outer.append(first)
        first = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = outer.popLast() ?? false
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        outer.append(first)
        first = true
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = outer.popLast() ?? false
    }

    mutating func key(_ key: String) {
        separate()
        JSONText.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { JSONText.appendQuoted(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func float(_ value: Float) {
        separate()
        // Swift prints the shortest round-tripping form; `1e-05` is valid JSON too.
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes already-encoded JSON text as one value.
    mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }
}
