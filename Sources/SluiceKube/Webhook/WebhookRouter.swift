/// What the webhook answers on each path: `POST /mutate` (AdmissionReview), `GET /healthz`,
/// `GET /readyz` (503 once shutdown has begun, so the Service stops sending requests here).
public struct WebhookRouter: Sendable {
    /// An answer: status code, content type, body.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]

        init(_ status: Int, _ contentType: String, _ body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        static func text(_ status: Int, _ text: String) -> Response {
            Response(status, "text/plain; charset=utf-8", Array(text.utf8))
        }
    }

    /// The largest request body read; the API server sends at most a few MiB per object.
    public static let maxBodyBytes = 8 * 1024 * 1024

    public var handler: AdmissionReviewHandler

    public init(handler: AdmissionReviewHandler) {
        self.handler = handler
    }

    /// The answer to `method path` with `body`, while the server is (not) draining.
    public func route(method: String, uri: String, body: [UInt8], draining: Bool) -> Response {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        switch (method, path) {
        case ("POST", "/mutate"):
            return Response(200, "application/json", self.handler.respond(to: body))
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            return .text(200, "ok\n")
        case ("GET", "/readyz"), ("HEAD", "/readyz"):
            return draining ? .text(503, "draining\n") : .text(200, "ready\n")
        case (_, "/mutate"), (_, "/healthz"), (_, "/readyz"):
            return .text(405, "\(method) is not served on \(path)\n")
        default:
            return .text(404, "not found: \(path); try POST /mutate, GET /healthz, GET /readyz\n")
        }
    }
}
