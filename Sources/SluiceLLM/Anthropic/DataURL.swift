/// The parts of a `data:` URL (RFC 2397), as OpenAI clients send inline images and files:
/// `data:image/png;base64,iVBORw0…`.
struct DataURL: Sendable, Hashable {
    /// The media type, lower-cased (`image/png`); `text/plain` when the URL names none.
    var mediaType: String
    /// Whether the data is base64 (`;base64`); otherwise it is percent-encoded text.
    var isBase64: Bool
    /// Everything after the first comma, unchanged.
    var data: Substring

    /// Splits `url`; nil when it is not a `data:` URL with a comma.
    init?(_ url: String) {
        guard url.utf8.count > 5, url.prefix(5).lowercased() == "data:", let comma = url.firstIndex(of: ",") else {
            return nil
        }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        let parameters = header.split(separator: ";", omittingEmptySubsequences: false)
        let type = parameters.first.map { $0.trimmingSpaces.lowercased() } ?? ""
        mediaType = type.isEmpty ? "text/plain" : type
        isBase64 = parameters.dropFirst().contains { $0.trimmingSpaces.lowercased() == "base64" }
        data = url[url.index(after: comma)...]
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
