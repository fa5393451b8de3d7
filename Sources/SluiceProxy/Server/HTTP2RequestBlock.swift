import NIOCore
import NIOHPACK
import NIOHTTP1

/// What is wrong with an app's HTTP/2 header block, in words for the 400 the app is told.
struct HTTP2HeaderError: Error, Equatable, CustomStringConvertible {
    let reason: String
    var description: String { self.reason }
}

/// Reads an app's HTTP/2 request header block (RFC 9113 §8.3) into the HTTP/1-style head that
/// ``RequestHandler`` serves, checking in the same pass what NIO's header-block validation checked:
/// known pseudo-headers, each once and before every regular field, the mandatory ones present, lowercase
/// token names, values free of the bytes that could split an HTTP/1.1 message, no connection-specific
/// fields. One walk over the fields instead of NIO's validation walk plus its conversion's four
/// pseudo-header searches. Pure: no I/O.
enum HTTP2RequestBlock {
    /// The request head of a stream's first header block; `endStream` says the block ends the stream (a
    /// request without a body).
    static func requestHead(_ block: HPACKHeaders, endStream: Bool) throws(HTTP2HeaderError) -> HTTPRequestHead {
        var method: String?
        var path: String?
        var scheme: String?
        var authority: String?
        // The regular fields, then the two a request head may need added: one array, sized once.
        var fields: [(String, String)] = []
        fields.reserveCapacity(block.count + 2)
        var hasHost = false
        var hasContentLength = false
        for (name, value, _) in block {
            if name.utf8.first == UInt8(ascii: ":") {
                guard fields.isEmpty else {
                    throw HTTP2HeaderError(reason: "pseudo-header \(name) after a regular field")
                }
                guard Self.isPseudoHeaderValue(value) else {
                    throw HTTP2HeaderError(
                        reason: "pseudo-header \(name) has a space or control character in its value")
                }
                switch name {
                case ":method": try Self.set(&method, value, name)
                case ":path": try Self.set(&path, value, name)
                case ":scheme": try Self.set(&scheme, value, name)
                case ":authority": try Self.set(&authority, value, name)
                default: throw HTTP2HeaderError(reason: "unknown pseudo-header \(name)")
                }
                continue
            }
            try Self.checkRegularField(name: name, value: value)
            // Only a name of one of their lengths is compared with them.
            switch name.utf8.count {
            case 2 where name == "te" && value != "trailers":
                throw HTTP2HeaderError(reason: "te may only be \"trailers\" in HTTP/2")
            case 4 where name == "host": hasHost = true
            case 14 where name == "content-length": hasContentLength = true
            default: break
            }
            fields.append((name, value))
        }
        guard let method else { throw HTTP2HeaderError(reason: "no :method pseudo-header") }
        guard let path else { throw HTTP2HeaderError(reason: "no :path pseudo-header") }
        guard !path.isEmpty else { throw HTTP2HeaderError(reason: "empty :path pseudo-header") }
        guard scheme != nil else { throw HTTP2HeaderError(reason: "no :scheme pseudo-header") }

        // What NIO's HTTP/2-to-HTTP/1 codec added: `host` from `:authority`, and the framing an HTTP/1
        // reader expects of a request that may carry a body.
        if !hasHost, let authority { fields.append(("host", authority)) }
        let httpMethod = HTTPMethod(rawValue: method)
        switch httpMethod {
        case .GET, .HEAD, .DELETE, .CONNECT, .TRACE:
            break
        default:
            if !hasContentLength {
                fields.append(endStream ? ("content-length", "0") : ("transfer-encoding", "chunked"))
            }
        }
        return HTTPRequestHead(
            version: HTTPVersion(major: 2, minor: 0), method: httpMethod, uri: path, headers: HTTPHeaders(fields))
    }

    /// A trailer block (the second header block of a stream, which must end it): regular fields only.
    static func trailers(_ block: HPACKHeaders) throws(HTTP2HeaderError) -> HTTPHeaders {
        var fields: [(String, String)] = []
        fields.reserveCapacity(block.count)
        for (name, value, _) in block {
            guard name.utf8.first != UInt8(ascii: ":") else {
                throw HTTP2HeaderError(reason: "pseudo-header \(name) in trailers")
            }
            try Self.checkRegularField(name: name, value: value)
            fields.append((name, value))
        }
        return HTTPHeaders(fields)
    }

    private static func set(_ slot: inout String?, _ value: String, _ name: String) throws(HTTP2HeaderError) {
        guard slot == nil else { throw HTTP2HeaderError(reason: "pseudo-header \(name) given twice") }
        slot = value
    }

    /// RFC 9113 §8.2: a name is a lowercase token; a value has no NUL, CR or LF (they would end the field
    /// early once the request is written as HTTP/1.1); connection-specific fields are not HTTP/2.
    private static func checkRegularField(name: String, value: String) throws(HTTP2HeaderError) {
        guard Self.bytes(of: name, allSatisfy: Self.isLowercaseTokenByte), !name.isEmpty else {
            throw HTTP2HeaderError(reason: "field name \"\(name)\" is not a lowercase token")
        }
        guard Self.bytes(of: value, allSatisfy: { $0 != 0x00 && $0 != 0x0A && $0 != 0x0D }) else {
            throw HTTP2HeaderError(reason: "field \(name) has a NUL, CR or LF in its value")
        }
        // Only a name of one of their lengths is compared with them.
        switch name.utf8.count {
        case 7, 10, 16, 17:
            switch name {
            case "connection", "transfer-encoding", "proxy-connection", "keep-alive", "upgrade":
                throw HTTP2HeaderError(reason: "connection-specific field \(name) is not allowed in HTTP/2")
            default:
                return
            }
        default:
            return
        }
    }

    @inline(__always)
    private static func isLowercaseTokenByte(_ byte: UInt8) -> Bool {
        HTTP1Syntax.isTokenByte(byte) && !(byte >= 0x41 && byte <= 0x5A)
    }

    /// No pseudo-header's grammar admits a space or a control character (`:path` becomes an HTTP/1.1
    /// request target).
    private static func isPseudoHeaderValue(_ value: String) -> Bool {
        Self.bytes(of: value, allSatisfy: { $0 > 0x20 && $0 != 0x7F })
    }

    /// Whether every byte of `text` passes `test`: read from the string's own storage (every field of a
    /// block is checked, and the UTF-8 view's iterator costs several times a loop over the bytes).
    @inline(__always)
    private static func bytes(of text: String, allSatisfy test: (UInt8) -> Bool) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ bytes in
            for byte in bytes where !test(byte) { return false }
            return true
        }) {
            return result
        }
        return text.utf8.allSatisfy(test)
    }
}

/// Writes an HTTP/1-style answer head or trailers as an HTTP/2 header block.
enum HTTP2ResponseBlock {
    /// `:status` first, then the fields with lowercase names and the connection-specific ones dropped.
    ///
    /// Every field is a literal that is not indexed: an answer relays twenty-odd provider headers (rate
    /// limits, request ids, timings), most different on every answer, so indexing them buys little on a
    /// loopback hop and costs a search and growth of the connection's dynamic table per field (measured at
    /// about 5 % of Sluice's CPU per HTTP/2 request). `:status` is indexable: the common codes are whole
    /// entries of the static table, one byte each.
    static func response(_ head: HTTPResponseHead) -> HPACKHeaders {
        var block = Self.nioPart(status: head.status, contentLength: nil)
        block.reserveCapacity(head.headers.count + 1)
        Self.forEachField(head.headers) { name, value in
            block.add(name: name, value: value, indexing: .nonIndexable)
        }
        return block
    }

    /// What NIO's encoder writes of an answer head whose other fields are spliced in after it
    /// (``HTTP2HeaderSplicer``): `:status`, and `content-length`, against which NIO checks the answer's DATA
    /// (an answer that would break it is reset rather than sent malformed, RFC 9113 §8.1.1).
    static func nioPart(status: HTTPResponseStatus, contentLength: String?) -> HPACKHeaders {
        guard let contentLength else {
            return status.code == 200 ? Self.ok : HPACKHeaders([(":status", String(status.code))])
        }
        var block = HPACKHeaders()
        block.reserveCapacity(2)
        block.add(name: ":status", value: String(status.code), indexing: .indexable)
        block.add(name: "content-length", value: contentLength, indexing: .nonIndexable)
        return block
    }

    private static let ok = HPACKHeaders([(":status", "200")])

    /// Trailers: the fields alone.
    static func trailers(_ headers: HTTPHeaders) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(headers.count)
        Self.forEachField(headers) { name, value in
            block.add(name: name, value: value, indexing: .nonIndexable)
        }
        return block
    }

    /// The fields of `headers` as HPACK representations (RFC 7541 §6.2.2: literal, not indexed, new name,
    /// no Huffman coding), appended to `block`: the part of an answer's header block that follows what
    /// NIO's encoder writes. Such fields neither read nor change either side's dynamic table, so they can
    /// follow any block NIO's encoder began. Huffman coding would shrink them by about a fifth, which a loopback hop
    /// does not need, at NIO's cost of about 3 µs per answer of twenty-odd fields.
    ///
    /// All but `content-length`, which is left to ``nioPart(status:contentLength:)``.
    /// - Returns: the `content-length` (the first, if the head repeats it).
    static func writeFields(_ headers: HTTPHeaders, to block: inout ByteBuffer) -> String? {
        // One pass with no list of the fields a `connection` field names: the relayed head has lost that
        // field already (UpstreamHeaders). A head that still lists some is written again knowing them.
        let start = block.writerIndex
        switch Self.writeFields(headers, named: nil, to: &block) {
        case .written(let contentLength):
            return contentLength
        case .namesFields:
            block.moveWriterIndex(to: start)
            guard case .written(let contentLength) =
                Self.writeFields(headers, named: Self.namedByConnection(headers), to: &block)
            else { preconditionFailure("a pass that knows the named fields always writes them") }
            return contentLength
        }
    }

    private enum FieldsPass {
        case written(contentLength: String?)
        /// A `connection` field names other fields, which must not be carried: the pass stopped.
        case namesFields
    }

    /// One pass of ``writeFields(_:to:)``: with `named` nil, it stops at a `connection` field that names
    /// others (anything but `keep-alive` and `close`, which name nothing carried).
    private static func writeFields(
        _ headers: HTTPHeaders, named: [String]?, to block: inout ByteBuffer
    ) -> FieldsPass {
        var contentLength: String?
        for (name, value) in headers {
            var name = name
            var value = value
            let pass: FieldsPass? = name.withUTF8 { nameBytes in
                let name = UnsafeRawBufferPointer(nameBytes)
                switch name.count {
                case 14 where HTTP1Syntax.equalsLowercase(name, "content-length"):
                    if contentLength == nil { contentLength = value }
                    return nil
                case 10 where named == nil && HTTP1Syntax.equalsLowercase(name, "connection"):
                    return Self.namesOtherFields(value) ? .namesFields : nil
                default:
                    guard Self.isCarried(name, named: named ?? []) else { return nil }
                    value.withUTF8 { Self.writeField(name: name, value: UnsafeRawBufferPointer($0), to: &block) }
                    return nil
                }
            }
            if let pass { return pass }
        }
        return .written(contentLength: contentLength)
    }

    /// Whether a `connection` field's value lists a field name (anything but `keep-alive` and `close`).
    private static func namesOtherFields(_ value: String) -> Bool {
        var names = false
        HTTP1Syntax.forEachListItem(value) { item in
            if !HTTP1Syntax.equalsLowercase(item, "keep-alive"), !HTTP1Syntax.equalsLowercase(item, "close") {
                names = true
            }
        }
        return names
    }

    /// One literal field, not indexed, new name (RFC 7541 §6.2.2), the name lowercased, neither string
    /// Huffman-coded: written straight into the block's storage.
    private static func writeField(
        name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, to block: inout ByteBuffer
    ) {
        let size = 1 + Self.integerSize(name.count) + name.count + Self.integerSize(value.count) + value.count
        block.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            out[0] = 0x00
            var at = 1 + Self.putInteger(name.count, prefixBits: 7, into: out, at: 1)
            for index in 0..<name.count {
                let byte = name[index]
                out[at + index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
            at += name.count
            at += Self.putInteger(value.count, prefixBits: 7, into: out, at: at)
            if value.count > 0 {
                (out.baseAddress! + at).copyMemory(from: value.baseAddress!, byteCount: value.count)
            }
            return at + value.count
        }
    }

    /// RFC 7541 §5.1: an integer in the low `prefixBits` of one byte (the high bits zero), continued in
    /// 7-bit groups when it does not fit.
    static func writeInteger(_ value: Int, prefixBits: Int, to block: inout ByteBuffer) {
        block.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.integerSize(value, prefixBits: prefixBits)) {
            Self.putInteger(value, prefixBits: prefixBits, into: $0, at: 0)
        }
    }

    /// The bytes ``writeInteger(_:prefixBits:to:)`` takes for `value`.
    @inline(__always)
    private static func integerSize(_ value: Int, prefixBits: Int = 7) -> Int {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return 1 }
        var size = 2
        var rest = (value - limit) >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// ``writeInteger(_:prefixBits:to:)`` into `out` at `at`, which has room for it; returns the bytes it took.
    @inline(__always)
    private static func putInteger(
        _ value: Int, prefixBits: Int, into out: UnsafeMutableRawBufferPointer, at: Int
    ) -> Int {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else {
            out[at] = UInt8(value)
            return 1
        }
        out[at] = UInt8(limit)
        var rest = value - limit
        var taken = 1
        while rest >= 128 {
            out[at + taken] = UInt8(rest & 0x7F | 0x80)
            rest >>= 7
            taken += 1
        }
        out[at + taken] = UInt8(rest)
        return taken + 1
    }

    /// Each field of `headers` that HTTP/2 carries, its name lowercased.
    private static func forEachField(_ headers: HTTPHeaders, _ body: (String, String) -> Void) {
        let named = Self.namedByConnection(headers)
        for (name, value) in headers {
            var name = name
            let (carried, uppercase) = name.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                return (Self.isCarried(raw, named: named), Self.hasUppercase(raw))
            }
            guard carried else { continue }
            body(uppercase ? name.lowercased() : name, value)
        }
    }

    /// The field names a `connection` field lists, lowercased: hop-by-hop too (RFC 9110 §7.6.1). An
    /// HTTP/1.1 provider's answer usually says `Connection: keep-alive`, whose option names a field that is
    /// dropped anyway, as is `close`: the list is almost always empty, and made only when not.
    private static func namedByConnection(_ headers: HTTPHeaders) -> [String] {
        var named: [String] = []
        for (name, value) in headers
        where name.utf8.count == 10 && HTTP1Syntax.equalsLowercase(name, "connection") {
            HTTP1Syntax.forEachListItem(value) { item in
                guard !HTTP1Syntax.equalsLowercase(item, "keep-alive"), !HTTP1Syntax.equalsLowercase(item, "close")
                else { return }
                named.append(String(decoding: item, as: UTF8.self).lowercased())
            }
        }
        return named
    }

    /// Whether HTTP/2 carries a field named `name` (any case): not one of RFC 9113 §8.2.2's
    /// connection-specific fields, nor one that `named` (from ``namedByConnection(_:)``) lists. Compared
    /// as bytes, by length first: most names match none of the five.
    private static func isCarried(_ name: UnsafeRawBufferPointer, named: [String]) -> Bool {
        let specific: Bool
        switch name.count {
        case 7: specific = HTTP1Syntax.equalsLowercase(name, "upgrade")
        case 10:
            specific =
                HTTP1Syntax.equalsLowercase(name, "connection") || HTTP1Syntax.equalsLowercase(name, "keep-alive")
        case 16: specific = HTTP1Syntax.equalsLowercase(name, "proxy-connection")
        case 17: specific = HTTP1Syntax.equalsLowercase(name, "transfer-encoding")
        default: specific = false
        }
        if specific { return false }
        return named.isEmpty || !named.contains(String(decoding: name, as: UTF8.self).lowercased())
    }

    private static func hasUppercase(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A })
    }
}
