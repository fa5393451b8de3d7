import Foundation

/// One recorded provider exchange from `../shared/fixtures/wire` (the response as the provider sent it).
struct WireRecording {
    var status: Int
    var contentType: String
    var body: String
    /// The request as the app sent it: its path and body.
    var requestPath: String
    var requestBody: String

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/wire")

    static func load(_ name: String) throws -> WireRecording {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let response = object["response"] as! [String: Any]
        let request = object["request"] as! [String: Any]
        let headers = response["headers"] as? [String: String] ?? [:]
        return WireRecording(
            status: response["status"] as! Int,
            contentType: headers["content-type"] ?? "application/json",
            body: response["body"] as! String,
            requestPath: request["path"] as? String ?? "/",
            requestBody: request["body"] as? String ?? ""
        )
    }

    /// The recording as the in-test provider's reply; a stream is sent one SSE event per chunk.
    var reply: TestProvider.Reply {
        let chunks = self.contentType.hasPrefix("text/event-stream")
            ? self.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" } : [self.body]
        return .chunks(status: self.status, headers: [("content-type", self.contentType)], chunks: chunks)
    }
}
