import NIOCore
import NIOHTTP1
import SluiceLLM

/// What is not HTTP/1.x in a message, in words for the error the peer (or the app) is told.
struct HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    let reason: String
    var description: String { self.reason }
}

/// The pieces of HTTP/1.x syntax (RFC 9112) that the request and response parsers share: lines, header
/// fields and chunk sizes. Lines may end in CRLF or a bare LF, as RFC 9112 §2.2 lets a recipient accept.
enum HTTP1Syntax {
    /// The largest head (or trailer section) read, as NIO's decoder allows.
    static let maxHeadBytes = 80 * 1024
    /// The longest chunk-size line (with extensions) read.
    static let maxChunkLineBytes = 4 * 1024

    /// A head or trailer section, through its empty line, once all of it has arrived (nil before), with
    /// the number of lines in it; `what` names the section in the error when it grows past `limit`.
    static func takeSection(
        _ buffer: inout ByteBuffer, limit: Int, what: String
    ) throws(HTTP1ParseError) -> (section: ByteBuffer, lines: Int)? {
        // The empty line is found first, so a section split across reads is parsed once, whole.
        let found = buffer.withUnsafeReadableBytes { bytes -> (end: Int, lines: Int)? in
            var lineStart = 0
            var lines = 0
            while let newline = ByteSearch.firstIndex(of: 0x0A, or: 0x0A, in: bytes, from: lineStart, to: bytes.count) {
                let length = newline - lineStart
                if length == 0 || (length == 1 && bytes[lineStart] == 0x0D) { return (newline + 1, lines) }
                lines += 1
                lineStart = newline + 1
            }
            return nil
        }
        guard let found, found.end <= limit else {
            if found != nil || buffer.readableBytes > limit {
                throw HTTP1ParseError(reason: "its \(what) is larger than \(limit / 1024) KiB")
            }
            return nil
        }
        return (buffer.readSlice(length: found.end)!, found.lines)
    }

    /// One line without its line end, once all of it has arrived (nil before).
    static func takeLine(_ buffer: inout ByteBuffer, limit: Int, what: String) throws(HTTP1ParseError) -> ByteBuffer? {
        let newline = buffer.withUnsafeReadableBytes { bytes in
            ByteSearch.firstIndex(of: 0x0A, or: 0x0A, in: bytes, from: 0, to: min(bytes.count, limit + 2))
        }
        guard let newline else {
            if buffer.readableBytes > limit + 1 { throw HTTP1ParseError(reason: "its \(what) is too long") }
            return nil
        }
        var line = buffer.readSlice(length: newline)!
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return line
    }

    /// The fields that frame a body, noted while the header fields are parsed so that the headers are
    /// not walked again.
    struct FramingFields {
        /// The first `content-length` value.
        var contentLength: String?
        /// Whether a later `content-length` said something else.
        var contentLengthsDiffer = false
        /// The last `transfer-encoding` value (its last coding is the message's last).
        var transferEncoding: String?
        /// What the `connection` fields say of keeping the connection (``noteConnection(_:in:)``); nil
        /// when none says anything.
        var keepAlive: Bool?
    }

    /// Header fields: `name: value`, the name a token, the value without the spaces around it and with no
    /// control character but tab. A folded line (one that starts with a space) is refused, as RFC 9112 §5.2
    /// allows.
    static func parseFields(
        _ section: inout ByteBuffer, count: Int, framing: inout FramingFields, strings: HTTP1FieldStrings? = nil
    ) throws(HTTP1ParseError) -> HTTPHeaders {
        // One walk over the section's bytes: no slice per line, the framing fields told by their bytes.
        let parsed = section.withUnsafeReadableBytes { bytes -> Result<[(String, String)], HTTP1ParseError> in
            var fields: [(String, String)] = []
            fields.reserveCapacity(count)
            var lineStart = 0
            while lineStart < bytes.count {
                let newline =
                    ByteSearch.firstIndex(of: 0x0A, or: 0x0A, in: bytes, from: lineStart, to: bytes.count)
                    ?? bytes.count
                var lineEnd = newline
                if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if lineEnd == lineStart { break }  // the empty line that ends the section
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                lineStart = newline + 1
                guard let (name, value) = Self.field(line) else {
                    return .failure(
                        HTTP1ParseError(reason: "a header line is not 'name: value' (\(Self.quoted(line)))"))
                }
                let field =
                    strings.map { ($0.string(name), $0.string(value)) }
                    ?? (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
                switch name.count {
                case 14 where Self.equalsLowercase(name, "content-length"):
                    if let first = framing.contentLength {
                        framing.contentLengthsDiffer = framing.contentLengthsDiffer || first != field.1
                    } else {
                        framing.contentLength = field.1
                    }
                case 17 where Self.equalsLowercase(name, "transfer-encoding"):
                    framing.transferEncoding = field.1
                case 10 where Self.equalsLowercase(name, "connection"):
                    Self.noteConnection(field.1, in: &framing.keepAlive)
                default:
                    break
                }
                fields.append(field)
            }
            return .success(fields)
        }
        section.moveReaderIndex(forwardBy: section.readableBytes)
        return HTTPHeaders(try parsed.get())
    }

    /// A header line's name and its value without the spaces and tabs around it; nil when the name is not
    /// a token followed by a colon, or the value has a control character other than tab.
    @inline(__always)
    private static func field(_ line: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        var colon = 0
        while colon < line.count, Self.isTokenByte(line[colon]) { colon += 1 }
        guard colon > 0, colon < line.count, line[colon] == UInt8(ascii: ":") else { return nil }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        guard !Self.hasControlByte(value) else { return nil }
        return (UnsafeRawBufferPointer(rebasing: line[..<colon]), value)
    }

    /// Whether a field value holds a byte RFC 9110 §5.5 does not allow in one: a control character other
    /// than tab, or DEL. Eight bytes at a time; obs-text (0x80 and up) is allowed.
    static func hasControlByte(_ value: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= value.count {
            let word = value.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let delete = word ^ (ones &* 0x7F)
            // A byte below 0x20 (its high bit clear), or a byte equal to DEL.
            let suspect = ((word &- ones &* 0x20) & ~word & highs) | ((delete &- ones) & ~delete & highs)
            if suspect != 0 { break }  // the exact check below says which (a tab is fine)
            index += 8
        }
        while index < value.count {
            let byte = value[index]
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { return true }
            index += 1
        }
        return false
    }

    /// RFC 9110 `tchar`, from a bit per ASCII byte.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x03ff_6cfa_0000_0000
        let high: UInt64 = 0x57ff_ffff_c7ff_fffe
        if byte < 64 { return (low >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high >> UInt64(byte - 64)) & 1 == 1 }
        return false
    }

    /// The size a chunk-size line gives (hex digits, then any extensions after `;`).
    static func chunkSize(_ line: ByteBuffer) throws(HTTP1ParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - 0x41 + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), 0x09:
                guard digits > 0 else { throw HTTP1ParseError(reason: "a chunk size is missing") }
                return size
            default:
                throw HTTP1ParseError(reason: "a chunk size is not hexadecimal")
            }
            digits += 1
            guard digits <= 15 else { throw HTTP1ParseError(reason: "a chunk size is too large") }
            size = size << 4 | value
        }
        guard digits > 0 else { throw HTTP1ParseError(reason: "a chunk size is missing") }
        return size
    }

    /// A whole `content-length` value: decimal digits only (no sign, no list), at most 18 of them.
    static func contentLength(_ value: String) throws(HTTP1ParseError) -> Int {
        guard !value.isEmpty, value.utf8.count <= 18, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let number = Int(value)
        else {
            throw HTTP1ParseError(reason: "its content-length is not one whole number (\(value.debugDescription))")
        }
        return number
    }

    /// Whether the last coding of a `transfer-encoding` value is `chunked`.
    static func endsInChunked(_ value: String) -> Bool {
        var last = false
        Self.forEachListItem(value) { last = Self.equalsLowercase($0, "chunked") }
        return last
    }

    /// Whether the connection stays open after a message with `headers` (RFC 9112 §9.3), as NIO's
    /// `isKeepAlive` says, without the arrays NIO makes on every call for headers it did not parse itself:
    /// `close` closes, `keep-alive` keeps (both, or it twice: close), and without either HTTP/1.1 keeps.
    static func isKeepAlive(_ headers: HTTPHeaders, version: HTTPVersion) -> Bool {
        var keeps: Bool?
        for (name, value) in headers
        where name.utf8.count == 10 && Self.equalsLowercase(name, "connection") {
            Self.noteConnection(value, in: &keeps)
        }
        return Self.keepsAlive(keeps, version: version)
    }

    /// What one `connection` field says of keeping the connection, added to what earlier ones said
    /// (`keeps`: nil while none said anything).
    static func noteConnection(_ value: String, in keeps: inout Bool?) {
        Self.forEachListItem(value) { item in
            if Self.equalsLowercase(item, "close") {
                keeps = false
            } else if Self.equalsLowercase(item, "keep-alive") {
                keeps = keeps == nil ? true : false
            }
        }
    }

    /// What the `connection` fields said (``noteConnection(_:in:)``), or else the version's default.
    static func keepsAlive(_ keeps: Bool?, version: HTTPVersion) -> Bool {
        keeps ?? (version.major == 1 && version.minor >= 1)
    }

    /// Each item of a comma-separated field value (RFC 9110 §5.6.1), without the spaces and tabs around
    /// it, as UTF-8 bytes: no array of parts and no string per part.
    static func forEachListItem(_ value: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        var value = value
        value.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var start = 0
            while start <= raw.count {
                var end = start
                while end < raw.count, raw[end] != UInt8(ascii: ",") { end += 1 }
                var first = start
                var last = end
                while first < last, raw[first] == 0x20 || raw[first] == 0x09 { first += 1 }
                while last > first, raw[last - 1] == 0x20 || raw[last - 1] == 0x09 { last -= 1 }
                // Empty elements are ignored, as §5.6.1 asks of a recipient.
                if first < last { body(UnsafeRawBufferPointer(rebasing: raw[first..<last])) }
                start = end + 1
            }
        }
    }

    /// Whether `bytes` equal the lowercase ASCII `lowercase`, ignoring ASCII case.
    static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: bytes.count)
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != expected[index] { return false }
        }
        return true
    }

    /// Whether `text` equals the lowercase ASCII `lowercase`, ignoring ASCII case, without a lowercased copy.
    static func equalsLowercase(_ text: String, _ lowercase: StaticString) -> Bool {
        guard text.utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return text.utf8.withContiguousStorageIfAvailable {
            Self.equalsLowercase(UnsafeRawBufferPointer($0), lowercase)
        }
            ?? Array(text.utf8).withUnsafeBytes { Self.equalsLowercase($0, lowercase) }
    }

    /// The start of a line as quoted text, for an error message.
    static func quoted(_ line: ByteBuffer) -> String {
        line.withUnsafeReadableBytes { Self.quoted($0) }
    }

    static func quoted(_ line: UnsafeRawBufferPointer) -> String {
        String(decoding: line.prefix(40), as: UTF8.self).debugDescription
    }
}
