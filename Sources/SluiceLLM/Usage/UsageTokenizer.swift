/// A lenient, constant-memory JSON walker that follows only the object paths of ``UsagePaths``
/// and records the integers found there. It does not validate: a malformed document yields
/// whatever counts it passed before the damage, never a crash and never unbounded memory.
///
/// Memory: the open objects on a usage path (at most four), a 32-byte key, the counters.
/// Everything else (strings, arrays, objects off the path) is skipped with a depth counter.
struct UsageTokenizer {
    private enum Lexical {
        case structure, string, stringEscape, key, keyEscape, number
    }

    private enum Pending: Equatable {
        case none
        case node(Int)
        case counter(UsageCounter)
    }

    private var lexical = Lexical.structure
    /// Nodes of the open objects that lie on a usage path, outermost first.
    private var path = NodePath()
    /// How many containers deep the walker is inside a value off every usage path.
    private var ignoredDepth = 0
    private var expectKey = false
    /// Where the value after the current key leads.
    private var pending = Pending.none
    private var key = KeyBytes()
    private var keyUnmatchable = false
    private var number = 0
    private var numberCounter = UsageCounter.openAIPrompt
    /// Last value seen per ``UsageCounter``.
    private(set) var counters = UsageCounts()

    // Every field is inline: a tokenizer is made for every answer relayed, and the three arrays it
    // used to hold were three heap allocations per request.
    init() {}

    /// Forgets the document in progress (an SSE event ended); keeps the counters.
    mutating func endDocument() {
        if lexical == .number { commitNumber() }
        lexical = .structure
        path.removeAll()
        ignoredDepth = 0
        expectKey = false
        pending = .none
    }

    mutating func feed(_ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        var index = start
        while index < end {
            switch lexical {
            case .string:
                // The hot loop: most bytes of a response are string contents.
                guard
                    let stop = ByteSearch.firstIndex(
                        of: UInt8(ascii: "\""), or: UInt8(ascii: "\\"), in: buffer, from: index, to: end)
                else {
                    index = end
                    break
                }
                lexical = buffer[stop] == UInt8(ascii: "\"") ? .structure : .stringEscape
                index = stop + 1
            case .stringEscape:
                lexical = .string
                index += 1
            case .key:
                // The key's bytes up to its closing quote (or an escape, or the chunk's end) go in at once.
                let stop =
                    ByteSearch.firstIndex(
                        of: UInt8(ascii: "\""), or: UInt8(ascii: "\\"), in: buffer, from: index, to: end) ?? end
                if !keyUnmatchable {
                    if !key.append(UnsafeRawBufferPointer(rebasing: buffer[index..<stop])) {
                        keyUnmatchable = true
                    }
                }
                index = stop
                guard stop < end else { break }
                index += 1
                if buffer[stop] == UInt8(ascii: "\"") {
                    lexical = .structure
                    endKey()
                } else {
                    // No usage key is written with escapes; an escaped key never matches.
                    keyUnmatchable = true
                    lexical = .keyEscape
                }
            case .keyEscape:
                lexical = .key
                index += 1
            case .number:
                let digit = buffer[index] &- UInt8(ascii: "0")
                if digit < 10 {
                    number = min(number &* 10 &+ Int(digit), 1 << 52)
                    index += 1
                } else {
                    commitNumber()
                }
            case .structure where ignoredDepth > 0:
                // Off every usage path: only quotes and brackets matter.
                skipping: while index < end {
                    guard let next = ByteSearch.firstQuoteOrBracket(in: buffer, from: index, to: end) else {
                        index = end
                        break skipping
                    }
                    let byte = buffer[next]
                    index = next + 1
                    switch byte {
                    case UInt8(ascii: "\""):
                        lexical = .string
                        break skipping
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        ignoredDepth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        ignoredDepth -= 1
                        if ignoredDepth == 0 { break skipping }
                    default:
                        continue
                    }
                }
            case .structure:
                // Structure bytes in a row, without going round the state switch for each: pretty-printed
                // answers are mostly indentation between the fields that matter.
                while index < end {
                    let byte = buffer[index]
                    index += 1
                    if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") { continue }
                    structure(byte)
                    if lexical != .structure || ignoredDepth > 0 { break }
                }
            }
        }
    }

    /// One byte outside strings, at a level on a usage path (or at the top, between documents).
    private mutating func structure(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""):
            if expectKey {
                lexical = .key
                key.removeAll()
                keyUnmatchable = false
            } else {
                lexical = .string
                pending = .none
            }
        case UInt8(ascii: "{"):
            if path.isEmpty {
                path.append(UsagePaths.root)
                expectKey = true
            } else if case .node(let node) = pending, path.append(node) {
                expectKey = true
            } else {
                ignoredDepth = 1
            }
            pending = .none
        case UInt8(ascii: "["):
            ignoredDepth = 1
            pending = .none
        case UInt8(ascii: "}"):
            if !path.isEmpty { path.removeLast() }
            expectKey = false
            pending = .none
        case UInt8(ascii: ","):
            expectKey = !path.isEmpty
            pending = .none
        case UInt8(ascii: ":"):
            expectKey = false
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if case .counter(let counter) = pending {
                lexical = .number
                number = Int(byte - UInt8(ascii: "0"))
                numberCounter = counter
            }
        case UInt8(ascii: "-"):
            pending = .none  // a negative count is not a count
        default:
            break  // whitespace, literals
        }
    }

    private mutating func endKey() {
        expectKey = false
        guard !keyUnmatchable, let node = path.last,
            let target = key.withBytes({ UsagePaths.target(from: node, key: $0) })
        else {
            pending = .none
            return
        }
        switch target {
        case .node(let next): pending = .node(next)
        case .counter(let counter): pending = .counter(counter)
        }
    }

    /// Records the number just read; a fraction or exponent after it is ignored.
    private mutating func commitNumber() {
        counters[numberCounter] = number
        lexical = .structure
        pending = .none
    }
}

/// The open objects on a usage path, held inline: the graph of ``UsagePaths`` is at most four objects deep
/// (root, `message`, `usage`, a details object).
private struct NodePath {
    private typealias Storage = InlineArray<4, Int>
    static let capacity = Storage.count
    private var nodes = Storage(repeating: 0)
    private var count = 0

    var isEmpty: Bool { count == 0 }
    var last: Int? { count == 0 ? nil : nodes[count - 1] }

    /// False, and nothing kept, when the path is full (which the graph never makes it).
    @discardableResult
    mutating func append(_ node: Int) -> Bool {
        guard count < Self.capacity else { return false }
        nodes[count] = node
        count += 1
        return true
    }

    mutating func removeLast() { count -= 1 }
    mutating func removeAll() { count = 0 }
}

/// The key being read, held inline up to ``UsagePaths/maxKeyLength`` bytes (longer keys cannot match).
private struct KeyBytes {
    private var bytes = InlineArray<32, UInt8>(repeating: 0)
    private var count = 0

    /// Adds `more`; false, keeping nothing of it, when the key would grow past what any usage key is long.
    mutating func append(_ more: UnsafeRawBufferPointer) -> Bool {
        guard count + more.count <= min(UsagePaths.maxKeyLength, bytes.count) else { return false }
        for byte in more {
            bytes[count] = byte
            count += 1
        }
        return true
    }

    mutating func removeAll() { count = 0 }

    func withBytes<Result>(_ body: (Span<UInt8>) -> Result) -> Result {
        body(bytes.span.extracting(0..<count))
    }
}
