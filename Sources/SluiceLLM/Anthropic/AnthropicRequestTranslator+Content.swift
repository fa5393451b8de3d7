/// Content parts of user and tool messages: text, images and PDF files.
extension AnthropicRequestTranslator {
    /// The image types Anthropic reads.
    static let imageTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// One OpenAI content part as an Anthropic content block.
    static func contentPart(_ part: JSONNode, _ param: String) throws(SluiceError) -> JSONNode {
        guard part.isObject else { throw .invalidFieldType(param, expected: "a content part object") }
        let type = try requiredString(part["type"], "\(param).type")
        let cacheControl = part.given("cache_control")
        switch type {
        case "text":
            return textBlock(try requiredString(part["text"], "\(param).text"), cacheControl: cacheControl)
        case "image_url":
            // OpenAI documents an object with `url`; some clients send the URL string itself.
            let image = part.given("image_url")
            var url = image?.string ?? ""
            if image?.string == nil {
                url = try requiredString(try object(image, "\(param).image_url")["url"], "\(param).image_url.url")
            }
            let source = try imageSource(url, "\(param).image_url.url")
            return .record(["type": "image", "source": source, "cache_control": cacheControl])
        case "file":
            return try document(part, param, cacheControl: cacheControl)
        case "input_audio":
            throw .unsupportedValue("\(param).type", dialect: dialect, hint: "Anthropic does not take audio input")
        default:
            throw .invalidField(
                "\(param).type", "unknown content part type '\(type)'; expected text, image_url or file")
        }
    }

    /// An image URL as an Anthropic image source: a base64 `data:` URL as `base64`, an http(s)
    /// URL as `url` (Anthropic fetches it).
    static func imageSource(_ url: String, _ param: String) throws(SluiceError) -> JSONNode {
        if let data = DataURL(url) {
            guard data.isBase64 else {
                throw .unsupportedValue(
                    param, dialect: dialect, hint: "send the image base64-encoded (data:image/png;base64,…)")
            }
            guard imageTypes.contains(data.mediaType) else {
                throw .unsupportedValue(
                    param, dialect: dialect,
                    hint: "Anthropic reads JPEG, PNG, GIF and WebP images, and this one is \(data.mediaType)")
            }
            guard !data.data.isEmpty else { throw .invalidField(param, "the data: URL holds no data") }
            return .record([
                "type": "base64", "media_type": .string(data.mediaType), "data": .string(String(data.data)),
            ])
        }
        let scheme = url.prefix(8).lowercased()
        guard scheme.hasPrefix("https://") || scheme.hasPrefix("http://") else {
            throw .invalidField(param, "it must be an http(s) URL or a base64 data: URL")
        }
        return .record(["type": "url", "url": .string(url)])
    }

    /// A `file` part holding a PDF as a base64 `data:` URL, as a `document` block.
    private static func document(
        _ part: JSONNode, _ param: String, cacheControl: JSONNode?
    ) throws(SluiceError) -> JSONNode {
        let file = try object(part["file"], "\(param).file")
        if file.given("file_data") == nil, file.given("file_id") != nil {
            throw .unsupportedParameter(
                "\(param).file.file_id", dialect: dialect,
                hint: "OpenAI file ids mean nothing to Anthropic; send the file inline as file_data")
        }
        let dataParam = "\(param).file.file_data"
        guard let data = DataURL(try requiredString(file["file_data"], dataParam)), data.isBase64 else {
            throw .invalidField(dataParam, "it must be a base64 data: URL (data:application/pdf;base64,…)")
        }
        guard data.mediaType == "application/pdf" else {
            throw .unsupportedValue(
                dataParam, dialect: dialect, hint: "Anthropic reads PDF files, and this one is \(data.mediaType)")
        }
        let source = JSONNode.record([
            "type": "base64", "media_type": "application/pdf", "data": .string(String(data.data)),
        ])
        return .record([
            "type": "document", "source": source, "title": file.given("filename"), "cache_control": cacheControl,
        ])
    }
}
