extension JSONNode {
    /// Parses `bytes` as one JSON value (of any kind), with the checks of ``BodyScan``: RFC 8259
    /// syntax, well-formed UTF-8, paired surrogates, nesting up to ``BodyScan/maxDepth``.
    static func parse(_ bytes: some Collection<UInt8>) throws(BodyScanError) -> JSONNode {
        let parsed: Result<JSONNode, BodyScanError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parse(UnsafeRawBufferPointer(buffer))
        }
        let result = parsed ?? Array(bytes).withUnsafeBytes { parse($0) }
        return try result.get()
    }

    private static func parse(_ buffer: UnsafeRawBufferPointer) -> Result<JSONNode, BodyScanError> {
        Result { () throws(BodyScanError) in
            var scanner = JSONSyntaxScanner(bytes: buffer, maxDepth: BodyScan.maxDepth)
            scanner.skipWhitespace()
            guard scanner.index < scanner.end else { throw scanner.failure(0, BodyScanError.emptyBody) }
            let node = try scanner.parseNode(depth: 1)
            scanner.skipWhitespace()
            guard scanner.index == scanner.end else {
                throw scanner.failure(scanner.index, "unexpected data after the JSON value")
            }
            return node
        }
    }
}

extension JSONSyntaxScanner {
    /// Walks one value like `scanValue(depth:)` and builds it as a ``JSONNode``.
    mutating func parseNode(depth: Int) throws(BodyScanError) -> JSONNode {
        guard index < end else { throw unexpectedEnd }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return .null
        default:
            throw failure(index, "expected a value")
        }
    }

    private mutating func parseString() throws(BodyScanError) -> String {
        let start = index
        let hasEscapes = try scanString()
        return Self.unescapedString(bytes, start + 1..<index - 1, hasEscapes: hasEscapes)
    }

    private mutating func parseObject(depth: Int) throws(BodyScanError) -> JSONNode {
        if try openContainer(depth: depth, closing: UInt8(ascii: "}")) { return .object([]) }
        var members: [JSONNode.Member] = []
        var afterComma = false
        while true {
            try expectKey(afterComma: afterComma)
            let key = try parseString()
            try consumeColon()
            members.append(JSONNode.Member(key, try parseNode(depth: depth + 1)))
            if try consumeMemberEnd() { return .object(members) }
            afterComma = true
        }
    }

    private mutating func parseArray(depth: Int) throws(BodyScanError) -> JSONNode {
        if try openContainer(depth: depth, closing: UInt8(ascii: "]")) { return .array([]) }
        var items: [JSONNode] = []
        while true {
            items.append(try parseNode(depth: depth + 1))
            skipWhitespace()
            guard index < end else { throw unexpectedEnd }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default:
                throw failure(index, "expected ',' or ']' after array element")
            }
        }
    }
}
