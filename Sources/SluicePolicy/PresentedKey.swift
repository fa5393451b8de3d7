/// The virtual key a request presents: `Authorization: Bearer KEY` (OpenAI's SDKs) or
/// `x-api-key: KEY` (Anthropic's).
struct PresentedKey: Hashable {
    /// Which header the key came from, to name it in messages.
    enum Header: Hashable {
        case authorization
        case apiKey

        var name: String {
            switch self {
            case .authorization: "Authorization"
            case .apiKey: "x-api-key"
            }
        }
    }

    /// The key, without scheme or surrounding whitespace.
    var key: Substring
    /// Where it came from; `authorization` when both headers carry the same key.
    var header: Header

    /// Schemes named in the "not Bearer" message. Any other first word is not repeated back,
    /// since `Authorization: sk-…` (a key without a scheme) is a common mistake.
    private static let knownSchemes = [
        "Basic", "Digest", "Negotiate", "NTLM", "Token", "ApiKey", "AWS4-HMAC-SHA256", "DPoP", "HOBA", "Mutual",
    ]

    /// The key the headers present: nil when neither header is there.
    ///
    /// - Parameters:
    ///   - authorization: the `Authorization` header's value, if the request has one.
    ///   - apiKey: the `x-api-key` header's value, if the request has one.
    /// - Returns: the key, or a ``IdentityError/Code/malformedCredentials`` error when a header
    ///   is empty, `Authorization` is not `Bearer KEY`, or the two headers hold different keys.
    static func parse(authorization: String?, apiKey: String?) -> Result<PresentedKey?, IdentityError> {
        var fromAuthorization: Substring?
        if let authorization {
            switch bearerKey(authorization) {
            case .success(let key): fromAuthorization = key
            case .failure(let error): return .failure(error)
            }
        }
        var fromAPIKey: Substring?
        if let apiKey {
            let key = trimmed(apiKey[...])
            guard !key.isEmpty else {
                return .failure(malformed("the x-api-key header is empty; send 'x-api-key: KEY' or leave it out"))
            }
            guard !key.utf8.contains(where: isWhitespace) else {
                return .failure(malformed("the x-api-key header must hold one key and nothing else"))
            }
            fromAPIKey = key
        }
        switch (fromAuthorization, fromAPIKey) {
        case (nil, nil):
            return .success(nil)
        case (let key?, nil):
            return .success(PresentedKey(key: key, header: .authorization))
        case (nil, let key?):
            return .success(PresentedKey(key: key, header: .apiKey))
        case (let first?, let second?):
            guard first == second else {
                return .failure(
                    malformed(
                        "the request sends different keys in Authorization and x-api-key; send one key, in either header"
                    ))
            }
            return .success(PresentedKey(key: first, header: .authorization))
        }
    }

    /// The key of `Bearer KEY`; the scheme is case-insensitive, as RFC 9110 says.
    private static func bearerKey(_ value: String) -> Result<Substring, IdentityError> {
        let text = trimmed(value[...])
        guard !text.isEmpty else {
            return .failure(
                malformed("the Authorization header is empty; send 'Authorization: Bearer KEY' or leave it out"))
        }
        let schemeEnd = text.utf8.firstIndex(where: isWhitespace) ?? text.utf8.endIndex
        let scheme = text.utf8[..<schemeEnd]
        guard isBearer(scheme) else {
            let name = String(Substring(scheme)).lowercased()
            let named = knownSchemes.first { $0.lowercased() == name }
            let got = named.map { "the \($0) scheme" } ?? "a value without the Bearer scheme"
            return .failure(malformed("the Authorization header must be 'Bearer KEY', got \(got)"))
        }
        let key = trimmed(Substring(text.utf8[schemeEnd...]))
        guard !key.isEmpty else {
            return .failure(
                malformed("the Authorization header's Bearer key is empty; send 'Authorization: Bearer KEY'"))
        }
        guard !key.utf8.contains(where: isWhitespace) else {
            return .failure(
                malformed("the Authorization header must be 'Bearer KEY' with one key and nothing after it"))
        }
        return .success(key)
    }

    private static func malformed(_ message: String) -> IdentityError {
        IdentityError(code: .malformedCredentials, message: message)
    }

    /// Whether `scheme` is `bearer` in any case. ASCII only: every letter of it maps to
    /// lowercase by setting bit 5, and no other byte does.
    private static func isBearer(_ scheme: Substring.UTF8View) -> Bool {
        scheme.count == 6 && scheme.elementsEqual("bearer".utf8) { $0 | 0x20 == $1 }
    }

    /// HTTP's optional whitespace: spaces and tabs.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `text` without leading and trailing spaces and tabs. Works on bytes: this runs for every
    /// request, and walking Characters (grapheme breaking) cost more than hashing the key.
    private static func trimmed(_ text: Substring) -> Substring {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return text[text.endIndex...] }
        return Substring(bytes[first...last])
    }
}
