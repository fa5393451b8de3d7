import Logging
import NIOCore
import NIOHTTP1
import SluiceGuard
import SluiceLLM
import SluiceLimits
import SluicePolicy
import SluiceRouting

/// Serves one app-facing HTTP exchange at a time: an HTTP/1.1 connection (as a handler in its pipeline), or
/// one HTTP/2 stream (driven by its ``HTTP2AppConnection``, as an ``AppStreamServer``). It writes its answer
/// to an ``AppStream`` either way.
///
/// Duties, in order:
/// 1. Match the path and method; refuse unknown paths (404) and wrong methods (405) at once.
/// 2. Collect the body up to the policy's limit; refuse a larger one (413) without reading the rest.
/// 3. Find `model` and `stream` with one scan of the bytes (no decoding), check the required field,
///    and resolve the route under the policy snapshot taken for this request.
/// 4. Answer from the in-process mock, or send the bytes (model swapped if the route says so) to the
///    provider through this loop's ``UpstreamPool`` and relay its answer part by part, flushing once per
///    upstream read turn and pausing upstream reads while the app cannot keep up.
/// 5. Record the outcome: one access log line, request and token metrics.
final class RequestHandler: ChannelDuplexHandler, RemovableChannelHandler, AppStreamServer {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request head.
        case idle
        /// Reading the body of a request that will be served.
        case collecting(HTTPRequestHead, APIEndpoint, RequestBodyCollector)
        /// Answered early (error); the rest of the request is dropped.
        case discarding
        /// Waiting for or relaying the answer.
        case responding
    }

    let gateway: GatewayState
    let loop: LoopContext
    private let protocolName: String
    private var state: State = .idle
    /// Where the answer goes: set when the handler joins its HTTP/1.1 pipeline, or given by the HTTP/2 stream.
    var app: (any AppStream)?
    let allocator = ByteBufferAllocator()
    /// The request being answered; nil between requests.
    var exchange: Exchange?
    /// HTTP/1.1 request parts that arrived while an answer was still being written. An array, which
    /// allocates nothing until a part is queued: a `CircularBuffer` allocates room for sixteen as it is made,
    /// once per HTTP/2 stream, where requests are never pipelined.
    private var pipelined: [HTTPServerRequestPart] = []
    private var readPending = false
    private var servingPipelined = false
    /// Told to shut down: the connection closes after the answer in progress.
    private var quiescing = false

    init(gateway: GatewayState, loop: LoopContext, protocolName: String, app: (any AppStream)? = nil) {
        self.gateway = gateway
        self.loop = loop
        self.protocolName = protocolName
        self.app = app
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.app = HTTP1AppStream(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.release()
    }

    /// Drops the exchange in progress, if any, and the app: nothing more is written.
    private func release() {
        self.exchange?.call?.cancel()
        self.endAttemptTimers()
        self.exchange = nil
        self.app = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = self.unwrapInboundIn(data)
        if case .responding = self.state {
            // HTTP/1.1 pipelining: the next request arrived before this answer ended. Keep it, in order,
            // and stop reading until it is served (see `read`), so a client cannot make us buffer more.
            self.pipelined.append(part)
            return
        }
        self.process(part)
    }

    func process(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            self.received(head: head)
        case .body(let chunk):
            guard case .collecting(let head, let endpoint, var collector) = self.state else { return }
            self.state = .responding  // avoid a copy-on-write of the collected body while appending
            switch collector.append(chunk) {
            case .collect:
                self.state = .collecting(head, endpoint, collector)
            case .reject:
                self.state = .discarding
                self.respondError(SluiceError.bodyTooLarge(limit: collector.limit), closeAfter: true)
            }
        case .end:
            switch self.state {
            case .collecting(let head, let endpoint, let collector):
                self.state = .responding
                self.dispatch(head: head, endpoint: endpoint, body: collector.body)
            case .discarding:
                if self.exchange == nil {
                    self.state = .idle
                    if self.quiescing { self.app?.abort() }
                }
            case .idle, .responding:
                break
            }
        }
    }

    private func received(head: HTTPRequestHead) {
        let snapshot = self.gateway.snapshot
        self.exchange = Exchange(
            requestID: self.loop.makeRequestID(),
            method: head.method,
            path: head.uri,
            // HTTP/1.1's rule; an HTTP/2 stream is never kept alive (it ends with its answer, which is why
            // an answer that ends first asks the app to stop sending the request).
            keepAlive: head.version.major == 1 && HTTP1Syntax.isKeepAlive(head.headers, version: head.version)
                && !self.quiescing,
            snapshot: snapshot
        )
        switch snapshot.identity.resolve(
            authorization: head.headers.first(name: "authorization"),
            apiKey: head.headers.first(name: "x-api-key")
        ) {
        case .success(let caller):
            self.exchange?.caller = caller
        case .failure(let error):
            self.state = .discarding
            self.respondError(SluiceError(code: .unauthorized, message: error.message), extraHeaders: [("www-authenticate", "Bearer")])
            return
        }
        guard let endpoint = APIEndpoint.match(uri: head.uri) else {
            self.state = .discarding
            self.respondError(SluiceError.notFound(method: head.method.rawValue, path: head.uri))
            return
        }
        guard head.method == endpoint.method else {
            self.state = .discarding
            self.respondError(
                SluiceError.methodNotAllowed(method: head.method.rawValue, path: head.uri, allowed: [endpoint.method.rawValue]),
                extraHeaders: [("allow", endpoint.method.rawValue)]
            )
            return
        }
        let limit = snapshot.loaded.policy.server.maxBodyBytes
        if RequestBodyCollector.declaresTooLarge(head, limit: limit) {
            self.state = .discarding
            self.respondError(SluiceError.bodyTooLarge(limit: limit), closeAfter: true)
            return
        }
        self.state = .collecting(head, endpoint, RequestBodyCollector(limit: limit))
    }

    func read(context: ChannelHandlerContext) {
        if self.pipelined.isEmpty {
            context.read()
        } else {
            self.readPending = true
        }
    }

    /// Serves requests that were pipelined behind the one just answered, then reads again.
    private func servePipelined() {
        guard let context = (self.app as? HTTP1AppStream)?.context, !self.servingPipelined else { return }
        self.servingPipelined = true
        defer { self.servingPipelined = false }
        while let part = self.pipelined.first {
            if case .responding = self.state { return }
            self.pipelined.removeFirst()
            self.process(part)
        }
        if self.readPending {
            self.readPending = false
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Graceful shutdown of an HTTP/1.1 connection: close it now if idle, else right after this answer.
        // (HTTP/2 connections are drained with GOAWAY by HTTP2AppConnection instead.)
        if event is ChannelShouldQuiesceEvent {
            self.quiescing = true
            if let exchange = self.exchange {
                exchange.keepAlive = false
            } else if case .idle = self.state {
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.appWritabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    /// The app takes the answer's bytes again: the provider's answer is read on.
    func appWritabilityChanged() {
        self.exchange?.call?.resumeReading()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTP1ParseError else {
            context.fireErrorCaught(error)
            return
        }
        // Not valid HTTP/1.1: nothing after this point of the connection can be read. Say why, once, in
        // OpenAI's envelope, and close.
        switch self.state {
        case .collecting:
            // The head was fine, the body is not (its chunked framing): this request is answered.
            self.state = .discarding
            self.respondError(SluiceError.invalidHTTP("\(error)"), closeAfter: true)
        case .responding, .discarding:
            // An answer is under way or given: it finishes, then the connection closes.
            if let exchange = self.exchange {
                exchange.keepAlive = false
            } else {
                HTTP1AppStream.closeLingering(context)
            }
        case .idle:
            // No request head could be read at all.
            self.refuseUnreadable(SluiceError.invalidHTTP("\(error)"), method: nil, path: nil)
        }
        context.fireErrorCaught(error)
    }

    /// Answers a request whose head could not be read (not HTTP/1.1, or a malformed HTTP/2 header block)
    /// with a 400 naming the fault, and logs it like any other request, with its method and path as far
    /// as they were read ("-" otherwise). An HTTP/1.1 connection closes after it; an HTTP/2 stream ends.
    func refuseUnreadable(_ error: SluiceError, method: String?, path: String?) {
        self.exchange = Exchange(
            requestID: self.loop.makeRequestID(),
            method: HTTPMethod(rawValue: method ?? "-"),
            path: path ?? "-",
            keepAlive: true,
            snapshot: self.gateway.snapshot
        )
        self.state = .discarding
        self.respondError(error, closeAfter: self.protocolName == "HTTP/1.1")
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.appWentAway()
        context.fireChannelInactive()
    }

    /// The app's connection closed, or it reset its HTTP/2 stream: an exchange in progress is logged as
    /// cut short and its upstream call cancelled; nothing more is written.
    func appWentAway() {
        // A request cut short by the app: logged, never answered.
        if case .collecting = self.state, self.exchange != nil {
            self.state = .idle
            self.finish(status: 499, note: "client went away before the whole request arrived")
        }
        // An exchange still open here was not answered in full: mid-answer, waiting between
        // attempts, or holding a stream's preamble. It ends now, settling its limits.
        if let exchange = self.exchange, exchange.pending != nil || exchange.call != nil {
            exchange.call?.cancel()
            exchange.call = nil
            let status = exchange.headSent ? (exchange.status ?? 499) : 499
            self.finish(status: status, note: "client went away")
        }
        self.release()
    }

    // MARK: Dispatch

    private func dispatch(head: HTTPRequestHead, endpoint: APIEndpoint, body: ByteBuffer?) {
        guard let exchange = self.exchange else { return }
        let snapshot = exchange.snapshot
        if endpoint == .models {
            self.respond(status: .ok, body: snapshot.modelList(for: exchange.caller), contentType: "application/json")
            return
        }
        let body = body ?? ByteBuffer()
        let request: ScannedRequest
        switch ScannedRequest.scan(body, endpoint: endpoint) {
        case .success(let scanned): request = scanned
        case .failure(let error):
            self.respondError(error)
            return
        }
        exchange.model = request.model
        exchange.stream = request.stream
        guard snapshot.planner.route(for: request.model) != nil else {
            self.respondError(SluiceError.modelNotFound(request.model, available: snapshot.modelNames))
            return
        }
        guard snapshot.identity.isModelAllowed(request.model, for: exchange.caller) else {
            let workload = exchange.caller.workloadName ?? "-"
            let allowed = snapshot.identity.allowedModels(for: exchange.caller).filter(snapshot.modelNames)
            self.respondError(SluiceError.modelNotAllowed(request.model, workload: workload, allowed: allowed))
            return
        }
        var (outgoing, scanned) = (body, request)
        if let workload = exchange.caller.workloadName, let protection = snapshot.protections[workload] {
            guard let protected = self.protect(body: body, endpoint: endpoint, request: request, with: protection) else {
                return  // refused, answered already
            }
            (outgoing, scanned) = protected
        }
        guard self.admit(request, endpoint: endpoint, exchange: exchange) else { return }
        exchange.pending = PendingRequest(head: head, endpoint: endpoint, body: outgoing, scanned: scanned)
        self.startFallbackRun(model: request.model)
    }

    /// Sends the pending request to `provider` as `model`, in the provider's dialect.
    func send(to provider: ProviderRuntime, model upstreamModel: String) {
        guard let exchange = self.exchange, let pending = exchange.pending else { return }
        let snapshot = exchange.snapshot
        let (head, endpoint, body, request) = (pending.head, pending.endpoint, pending.body, pending.scanned)
        exchange.providerName = provider.name
        exchange.upstreamModel = upstreamModel
        // Nothing of an earlier attempt carries over.
        exchange.translation = nil
        exchange.firstByteAt = nil
        exchange.heldError = nil
        exchange.hold = nil
        exchange.eventFilter = nil
        exchange.restoration = nil
        switch provider.type {
        case .mock:
            self.answerFromMock(endpoint: endpoint, body: body, request: request, model: upstreamModel)
        case .anthropic:
            guard endpoint == .chatCompletions, let upstream = provider.upstream else {
                self.respondError(
                    SluiceError.invalidField(
                        "model",
                        "model '\(request.model)' is served by the Anthropic provider '\(provider.name)', which answers only /v1/chat/completions"
                    )
                )
                return
            }
            let passthrough = snapshot.identity.credentials(for: exchange.caller) == .passthrough
            let key =
                passthrough
                ? Self.callersOwnKey(head.headers) : snapshot.apiKey(for: provider, workload: exchange.caller.workloadName)
            self.forwardToAnthropic(head: head, body: body, upstream: upstream, provider: provider, model: upstreamModel, key: key)
        default:
            guard let upstream = provider.upstream else {
                self.respondError(SluiceError.internal("provider '\(provider.name)' has no upstream address"))
                return
            }
            // Every stream is asked for its usage, so limits and spend never settle blind.
            let forceUsage = request.stream && (endpoint == .chatCompletions || endpoint == .completions)
            let outgoing = request.rewritten(body, model: upstreamModel, forceUsage: forceUsage)
            exchange.eventFilter = forceUsage ? StreamEventFilter(dropsUsage: !request.includeUsage) : nil
            let passthrough = snapshot.identity.credentials(for: exchange.caller) == .passthrough
            self.forward(
                head: head,
                endpoint: endpoint,
                body: outgoing,
                upstream: upstream,
                authorization: passthrough
                    ? head.headers.first(name: "authorization")
                    : snapshot.authorization(for: provider, workload: exchange.caller.workloadName)
            )
        }
    }

    func answerFromMock(endpoint: APIEndpoint, body: ByteBuffer, request: ScannedRequest, model: String) {
        guard let exchange = self.exchange else { return }
        let bytes = Array(body.readableBytesView)
        let id = "mock-" + exchange.requestID
        do {
            switch (endpoint, request.stream) {
            case (.chatCompletions, true), (.completions, true):
                let frames =
                    endpoint == .chatCompletions
                    ? try MockProvider().chatCompletionStream(bytes, model: model, id: id, created: exchange.created)
                    : try MockProvider().completionStream(bytes, model: model, id: id, created: exchange.created)
                self.respondStream(frames: frames)
            case (.chatCompletions, false):
                let answer = try MockProvider().chatCompletion(bytes, model: model, id: id, created: exchange.created)
                self.respondWithUsage(answer)
            case (.completions, false):
                let answer = try MockProvider().completion(bytes, model: model, id: id, created: exchange.created)
                self.respondWithUsage(answer)
            case (.embeddings, _):
                let answer = try MockProvider().embeddings(bytes, model: model)
                self.respondWithUsage(answer)
            case (.models, _):
                break
            }
        } catch {
            self.respondError(error)
        }
    }

    func forward(
        head: HTTPRequestHead,
        endpoint: APIEndpoint,
        body: ByteBuffer,
        upstream: UpstreamEndpoint,
        authorization: String?
    ) {
        guard self.exchange != nil else { return }
        let headers = UpstreamHeaders.forwarded(from: head) { fields in
            fields.append(("host", upstream.authority))
            fields.append(("content-type", "application/json"))
            fields.append(("content-length", String(body.readableBytes)))
            if let authorization { fields.append(("authorization", authorization)) }
        }
        let upstreamHead = HTTPRequestHead(
            version: .http1_1,
            method: .POST,
            uri: upstream.target(for: endpoint),
            headers: headers
        )
        self.send(upstreamHead, body: body, to: upstream)
    }

    /// Translates an OpenAI chat request to Anthropic's Messages API and sends it; the answer is translated
    /// back as it arrives (see ``AnthropicTranslation``).
    func forwardToAnthropic(
        head: HTTPRequestHead,
        body: ByteBuffer,
        upstream: UpstreamEndpoint,
        provider: ProviderRuntime,
        model: String,
        key: String?
    ) {
        guard let exchange = self.exchange else { return }
        let translated: AnthropicRequest
        do {
            translated = try AnthropicRequestTranslator().translate(Array(body.readableBytesView), model: model)
        } catch {
            self.respondError(error)
            return
        }
        var headers = UpstreamHeaders.forwarded(from: head)
        headers.add(name: "host", value: upstream.authority)
        for header in translated.headers(apiKey: key) {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "content-length", value: String(translated.body.count))
        let upstreamHead = HTTPRequestHead(
            version: .http1_1,
            method: .POST,
            uri: upstream.basePath + AnthropicRequest.path,
            headers: headers
        )
        exchange.translation = AnthropicTranslation(
            provider: provider.name,
            isStream: translated.isStream,
            includeUsage: translated.includeUsage
        )
        self.send(upstreamHead, body: ByteBuffer(bytes: translated.body), to: upstream)
    }

    private func send(_ head: HTTPRequestHead, body: ByteBuffer, to upstream: UpstreamEndpoint) {
        guard let exchange = self.exchange else { return }
        let call = UpstreamCall(endpoint: upstream, head: head, body: body, delegate: self)
        exchange.call = call
        self.startAttemptClock(.total, for: call)
        self.loop.pool.execute(call)
    }

    /// The caller's own provider key, for passthrough: `x-api-key`, or the bearer token.
    static func callersOwnKey(_ headers: HTTPHeaders) -> String? {
        if let key = headers.first(name: "x-api-key") { return key }
        guard let authorization = headers.first(name: "authorization"), authorization.hasPrefix("Bearer ") else {
            return nil
        }
        return String(authorization.dropFirst("Bearer ".count))
    }

    // MARK: Responding

    /// An answer head of Sluice's own: `headers` and the fields it adds to every answer.
    func responseHead(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponseHead {
        var fields: [(String, String)] = []
        fields.reserveCapacity(headers.count + 6)
        for (name, value) in headers { fields.append((name, value)) }
        self.appendAnswerFields(to: &fields)
        return HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(fields))
    }

    /// The provider's answer head as the app gets it: the relayed fields (``relayedHeaders(_:adding:)``) and
    /// Sluice's own, gathered in one array.
    func relayedHead(_ head: HTTPResponseHead) -> HTTPResponseHead {
        HTTPResponseHead(
            version: .http1_1, status: head.status,
            headers: self.relayedHeaders(head) { self.appendAnswerFields(to: &$0) })
    }

    /// The fields Sluice adds to every answer: the request id, where the answer came from, and its limits.
    private func appendAnswerFields(to fields: inout [(String, String)]) {
        guard let exchange = self.exchange else { return }
        fields.append(("x-request-id", exchange.requestID))
        if let provider = exchange.providerName { fields.append(("x-sluice-provider", provider)) }
        if let model = exchange.upstreamModel { fields.append(("x-sluice-model", model)) }
        if let attempts = exchange.run?.attemptCount, attempts > 0 {
            fields.append(("x-sluice-attempts", String(attempts)))
        }
        for header in exchange.rateLimitHeaders { UpstreamHeaders.replaceOrAdd(header.name, header.value, in: &fields) }
        // Only HTTP/1.1 has the field: an HTTP/2 stream ends with its answer, and the connection stays.
        if !exchange.keepAlive, self.protocolName == "HTTP/1.1" {
            UpstreamHeaders.replaceOrAdd("connection", "close", in: &fields)
        }
    }

    func respond(status: HTTPResponseStatus, body: [UInt8], contentType: String, closeAfter: Bool = false) {
        guard let app = self.app, let exchange = self.exchange else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        if closeAfter { exchange.keepAlive = false }
        app.write(.head(self.responseHead(status: status, headers: headers)))
        self.writeWholeBody(body, for: exchange, app: app)
        exchange.status = Int(status.code)
        self.writeEnd()
    }

    /// A JSON answer written by Sluice itself, read for usage like a provider's.
    func respondWithUsage(_ body: [UInt8]) {
        var sniffer = UsageSniffer(framing: .json)
        sniffer.feed(body)
        self.exchange?.usage = sniffer
        var body = body
        if let masks = self.exchange?.masks {
            body = self.rewriteAnswer(body, masks: masks)
        }
        self.respond(status: .ok, body: body, contentType: "application/json")
    }

    private func respondStream(frames: [[UInt8]]) {
        guard let app = self.app, let exchange = self.exchange else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/event-stream; charset=utf-8")
        headers.add(name: "cache-control", value: "no-cache")
        app.write(.head(self.responseHead(status: .ok, headers: headers)))
        var sniffer = UsageSniffer(framing: .sse)
        var frames = frames
        if let masks = exchange.masks {
            var restorer = self.makeStreamRestorer(masks: masks)
            frames = frames.map { restorer.feed($0) } + [restorer.finish()]
        }
        for frame in frames where !frame.isEmpty {
            sniffer.feed(frame)
            app.write(.body(.byteBuffer(self.allocator.buffer(bytes: frame))))
        }
        exchange.usage = sniffer
        exchange.status = 200
        self.writeEnd()
    }

    func respondError(_ error: any Error, extraHeaders: [(String, String)] = [], closeAfter: Bool = false) {
        let apiError = (error as? SluiceError) ?? .internal("unexpected failure: \(type(of: error))")
        guard let app = self.app, let exchange = self.exchange else { return }
        let body = apiError.openAIBody()
        var headers = HTTPHeaders(extraHeaders)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        if closeAfter { exchange.keepAlive = false }
        exchange.errorCode = apiError.openAICode
        let status = HTTPResponseStatus(statusCode: apiError.httpStatus)
        app.write(.head(self.responseHead(status: status, headers: headers)))
        self.writeWholeBody(body, for: exchange, app: app)
        exchange.status = apiError.httpStatus
        self.writeEnd()
    }

    /// Writes an answer's body, unless it answers a `HEAD` request, whose answer has a head only (its
    /// `content-length` says what a GET would have carried). HTTP1ServerCodec leaves this to us.
    private func writeWholeBody(_ body: [UInt8], for exchange: Exchange, app: any AppStream) {
        guard exchange.method != .HEAD else { return }
        app.write(.body(.byteBuffer(self.allocator.buffer(bytes: body))))
    }

    func writeEnd() {
        guard let app = self.app, let exchange = self.exchange else { return }
        app.writeEnd(closing: !exchange.keepAlive)
        self.finish(status: exchange.status ?? 200, note: nil)
        if case .responding = self.state { self.state = .idle }
        if !self.pipelined.isEmpty { self.servePipelined() }
    }

    /// Ends the exchange once: forgets it and settles its limits, then counts and logs it (``account``) once
    /// the answer's last bytes have been handed to the socket.
    private func finish(status: Int, note: String?) {
        guard let exchange = self.exchange else { return }
        self.endAttemptTimers()
        self.settleAttempt(of: exchange, appWentAway: note == "client went away")
        self.exchange = nil
        let elapsed = NIODeadline.now() - exchange.startedAt
        // Limits settle now: the concurrency slot must be free for the next request this turn admits (a
        // pipelined one, another stream).
        let usage = exchange.usage?.usage
        let cost = self.settleLimits(of: exchange, usage: usage)
        // The answer's end is written: counting and logging wait until it has been handed to the socket, so
        // the app does not wait for the access line to be built.
        exchange.settled = Exchange.Settled(
            accountant: self, status: status, note: note, elapsed: elapsed, usage: usage, cost: cost)
        self.loop.flushes.afterFlush(exchange)
    }

    /// Counts the exchange in the metrics and writes its access line.
    func account(_ exchange: Exchange, _ settled: Exchange.Settled) {
        let (status, note, elapsed, usage, cost) = (
            settled.status, settled.note, settled.elapsed, settled.usage, settled.cost
        )
        let model = exchange.model ?? "-"
        let provider = exchange.providerName ?? "-"
        self.loop.metrics.record(
            model: model,
            provider: provider,
            status: status,
            latencyNanoseconds: elapsed.nanoseconds,
            promptTokens: usage?.promptTokens,
            completionTokens: usage?.completionTokens
        )
        let record = AccessRecord(
            requestID: exchange.requestID,
            method: exchange.method.rawValue,
            path: exchange.path,
            protocolName: self.protocolName,
            model: model,
            provider: provider,
            status: status,
            latencyMicroseconds: elapsed.nanoseconds / 1000,
            stream: exchange.stream,
            workload: exchange.caller.workloadName,
            redacted: exchange.redactionCounts,
            guardOutcome: exchange.guardOutcome,
            upstreamModel: exchange.upstreamModel,
            promptTokens: usage?.promptTokens,
            completionTokens: usage?.completionTokens,
            error: exchange.errorCode,
            costUSD: cost > 0 ? LimitGate.dollars(cost) : nil,
            malformedChunksDropped: exchange.eventFilter.flatMap { $0.malformed > 0 ? $0.malformed : nil },
            note: note ?? exchange.note
        )
        if let lines = self.gateway.accessLines {
            lines.writeInfo("access", fields: record)
        } else {
            let fields = JSONLogFieldsValue.wrapping(record)
            self.gateway.logger.info("access", metadata: [JSONLogHandler.fieldsKey: .stringConvertible(fields)])
        }
    }
}

// MARK: - Relaying the provider's answer

extension RequestHandler: UpstreamResponseDelegate {
    func upstreamHead(_ head: HTTPResponseHead) {
        guard let app = self.app, let exchange = self.exchange else { return }
        // Only a resumed stream gets a head after the app's: its continuation's.
        if exchange.headSent {
            self.resumedHead(head)
            return
        }
        if self.holdsForClassification(head) { return }
        if self.movedOn(after: head) { return }
        if let translation = exchange.translation {
            translation.status = Int(head.status.code)
            translation.retryAfterSeconds = head.headers.first(name: "retry-after").flatMap { Int($0) }
            guard translation.isStream && head.status == .ok else { return }  // gathered, answered at the end
            translation.stream = AnthropicStreamTranslator(
                provider: translation.provider,
                includeUsage: translation.includeUsage,
                created: exchange.created
            )
            exchange.isEventStream = true
            exchange.usage = UsageSniffer(framing: .sse)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "text/event-stream; charset=utf-8")
            headers.add(name: "cache-control", value: "no-cache")
            // Held like an OpenAI stream: until the first content, a failure still falls back.
            self.holdStream(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))
            return
        }
        exchange.isEventStream = UsageSniffer.isEventStream(head.headers.first(name: "content-type"))
        exchange.usage = UsageSniffer(framing: exchange.isEventStream ? .sse : .json)
        if let masks = exchange.masks, self.beginRestoring(head, masks: masks) { return }
        if exchange.isEventStream, head.status == .ok, exchange.run != nil {
            self.holdStream(head)
            return
        }
        exchange.status = Int(head.status.code)
        exchange.headSent = true
        app.write(.head(self.relayedHead(head)))
    }

    /// The provider's headers as the app gets them. An event stream that goes through the event filter
    /// is not the provider's bytes (a usage chunk the app did not ask for and malformed chunks come out, a
    /// missing `[DONE]` goes in), so the provider's `content-length` would promise the wrong length: the
    /// answer goes chunked (HTTP/1.1) or ends with its stream (HTTP/2).
    func relayedHeaders(
        _ head: HTTPResponseHead, adding: (inout [(String, String)]) -> Void = { _ in }
    ) -> HTTPHeaders {
        let filtered = self.exchange.map { $0.eventFilter != nil && $0.isEventStream } ?? false
        return UpstreamHeaders.relayed(from: head, bodyChanges: filtered, adding: adding)
    }

    func upstreamBody(_ buffer: ByteBuffer) {
        guard let app = self.app, let exchange = self.exchange else { return }
        if exchange.heldError != nil {
            let room = HeldError.maxBytes - exchange.heldError!.body.count
            exchange.heldError!.body.append(contentsOf: buffer.readableBytesView.prefix(max(0, room)))
            return
        }
        if let translation = exchange.translation {
            if translation.stream != nil {
                // Usage is read from Anthropic's own events, so it is known even when the app did
                // not ask for OpenAI's usage chunk.
                buffer.withUnsafeReadableBytes { exchange.usage?.feed($0) }
                var output = buffer.withUnsafeReadableBytes { translation.stream!.feed($0) }
                if exchange.masks != nil { output = self.restoreTranslated(output, finishing: false) }
                guard !output.isEmpty else { return }
                let translated = self.allocator.buffer(bytes: output)
                if exchange.hold != nil {
                    self.holdOrRelease(translated)
                    return
                }
                exchange.transcript?.feed(output)
                app.write(.body(.byteBuffer(translated)))
            } else if translation.gathered.count + buffer.readableBytes > AnthropicTranslation.maxGatheredBytes {
                exchange.call?.cancel()
                exchange.call = nil
                self.respondError(
                    SluiceError.upstreamProtocol(provider: translation.provider, detail: "its answer is larger than 32 MiB")
                )
            } else {
                translation.gathered.append(contentsOf: buffer.readableBytesView)
            }
            return
        }
        // An OpenAI event stream's usage is handed over by the event filter, which reads every chunk's
        // JSON anyway: the sniffer does not walk the stream a second time.
        let filterReadsUsage = exchange.eventFilter != nil && exchange.isEventStream
        if !filterReadsUsage { buffer.withUnsafeReadableBytes { exchange.usage?.feed($0) } }
        var buffer = buffer
        if exchange.eventFilter != nil {
            // Whole events that all pass go on as the same buffer; only a read with something
            // taken out or held back is copied.
            let filtered = buffer.withUnsafeReadableBytes { bytes in
                // An event stream's usage object goes to the sniffer where it lies, as the filter finds it.
                filterReadsUsage
                    ? exchange.eventFilter!.filter(bytes) { exchange.usage?.feedUsageObject($0) }
                    : exchange.eventFilter!.filter(bytes)
            }
            if case .bytes(let kept) = filtered {
                guard !kept.isEmpty else { return }
                buffer = self.allocator.buffer(bytes: kept)
            }
        }
        if exchange.restoration != nil {
            self.restore(buffer)
            return
        }
        if exchange.hold != nil {
            self.holdOrRelease(buffer)
            return
        }
        if exchange.transcript != nil { buffer.withUnsafeReadableBytes { exchange.transcript!.feed($0) } }
        app.write(.body(.byteBuffer(buffer)))
    }

    /// Gives the usage sniffer the `usage` object the event filter found, read in place: the sniffer does
    /// not walk the stream's lines a second time.
    static func sniffFilteredUsage(of exchange: Exchange) {
        guard let usage = exchange.eventFilter?.takeUsage() else { return }
        usage.withUnsafeBytes { exchange.usage?.feedUsageObject($0) }
    }

    func upstreamReadComplete() {
        self.armFirstTokenClock()
        self.app?.flush()
    }

    func upstreamEnd() {
        guard let app = self.app, let exchange = self.exchange else { return }
        exchange.call = nil
        self.endAttemptTimers()
        if exchange.hold != nil { self.releaseStream() }
        if let held = exchange.heldError {
            exchange.heldError = nil
            self.decide(on: held)
            return
        }
        guard let translation = exchange.translation else {
            if var filter = exchange.eventFilter {
                var rest = filter.finish()
                // A last event without its blank line is closed and filtered like any other.
                if !rest.isEmpty, exchange.isEventStream {
                    while rest.last == 0x0A || rest.last == 0x0D { rest.removeLast() }
                    rest = filter.feed(rest + [0x0A, 0x0A]) + filter.finish()
                }
                // A stream that ended cleanly without `[DONE]` is finished for the app at once,
                // so its SDK does not wait for an end that will not come.
                if exchange.isEventStream, exchange.status == 200, filter.sawChunk, !filter.sawDone {
                    rest += StreamEventFilter.doneEvent
                    exchange.note = "stream ended without [DONE]; finished it"
                }
                exchange.eventFilter = filter
                if exchange.isEventStream { Self.sniffFilteredUsage(of: exchange) }
                if !rest.isEmpty {
                    let buffer = self.allocator.buffer(bytes: rest)
                    if exchange.restoration != nil {
                        self.restore(buffer)
                    } else {
                        app.write(.body(.byteBuffer(buffer)))
                    }
                }
            }
            if exchange.restoration != nil {
                self.finishRestoring()
            } else {
                self.writeEnd()
            }
            return
        }
        if translation.stream != nil {
            var output = translation.stream!.finish()
            if exchange.masks != nil { output = self.restoreTranslated(output, finishing: true) }
            if !output.isEmpty {
                app.write(.body(.byteBuffer(self.allocator.buffer(bytes: output))))
            }
            self.writeEnd()
        } else if translation.status == 200 {
            do {
                let answer = try AnthropicResponseTranslator(provider: translation.provider)
                    .chatCompletion(translation.gathered, created: exchange.created)
                self.respondWithUsage(answer.body)
            } catch {
                self.respondError(error)
            }
        } else {
            let error = AnthropicError(
                status: translation.status,
                body: translation.gathered,
                retryAfterSeconds: translation.retryAfterSeconds
            )
            exchange.errorCode = error.type
            self.respond(
                status: HTTPResponseStatus(statusCode: error.httpStatus),
                body: error.openAIBody(),
                contentType: "application/json"
            )
        }
    }

    func upstreamFailed(_ error: UpstreamError) {
        guard let exchange = self.exchange else { return }
        exchange.call = nil
        self.endAttemptTimers()
        // Nothing of a held stream or a held error reached the app: it may still fall back.
        exchange.hold = nil
        exchange.heldError = nil
        if exchange.headSent {
            if exchange.isEventStream, self.resume(after: error) { return }
            self.recordFailure(of: exchange, Self.attemptFailure(for: error))
            exchange.errorCode = "upstream_cut"
            let apiError = SluiceError.from(error, provider: exchange.providerName ?? "-")
            if exchange.isEventStream {
                self.endStream(with: apiError)
                return
            }
            // Part of a plain answer is already with the app: cut it so it cannot pass as complete.
            self.finish(status: exchange.status ?? 502, note: apiError.message)
            self.app?.abort()
            return
        }
        self.failedBeforeAnswer(error)
    }

    var downstreamWritable: Bool {
        self.app?.isWritable ?? true
    }
}
