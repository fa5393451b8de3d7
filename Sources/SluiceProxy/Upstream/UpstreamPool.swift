import NIOCore
import NIOHTTP1
import NIOHTTP2

/// Keep-alive connections to providers for one event loop, touched only on that loop (so: no locks).
///
/// Duties:
/// - reuse an idle HTTP/1.1 connection, or open a stream on the origin's HTTP/2 connection;
/// - open new connections up to the provider's per-host cap, and queue calls beyond it;
/// - evict connections that closed, broke or idled out, and retry a call once on a fresh connection
///   when its request could not be sent at all;
/// - fail a call that waited for a connection longer than its first-byte timeout.
final class UpstreamPool {
    private let eventLoop: any EventLoop
    private let timers: LoopTimers
    private let fieldStrings: HTTP1FieldStrings
    private let flushes: LoopFlushes
    private var hosts: [UpstreamKey: HostPool] = [:]
    /// Told each time a connection is opened, for the connections metric.
    var onConnectionOpened: ((UpstreamEndpoint) -> Void)?

    init(
        eventLoop: any EventLoop,
        timers: LoopTimers,
        fieldStrings: HTTP1FieldStrings = HTTP1FieldStrings(),
        flushes: LoopFlushes? = nil
    ) {
        self.eventLoop = eventLoop
        self.timers = timers
        self.fieldStrings = fieldStrings
        self.flushes = flushes ?? LoopFlushes(eventLoop: eventLoop)
    }

    /// Sends `call` as soon as a connection is free; its delegate hears the outcome.
    func execute(_ call: UpstreamCall) {
        let host = self.host(for: call.endpoint)
        // The common case: nobody waits and a connection is free. Start at once, with no queue and no
        // queue timer.
        if host.waiters.isEmpty {
            if let connection = host.http2, connection.usable, connection.channel.isActive {
                self.startStream(call, on: connection, host: host)
                return
            }
            if let connection = self.popIdle(host) {
                self.startRequest(call, on: connection, host: host)
                return
            }
        }
        self.enqueue(call, in: host, atFront: false)
        self.dispatch(host)
    }

    /// Closes every pooled connection (shutdown).
    func closeAll() {
        for host in self.hosts.values {
            for connection in host.idle { connection.channel.close(promise: nil) }
            host.http2?.channel.close(promise: nil)
        }
    }

    private func host(for endpoint: UpstreamEndpoint) -> HostPool {
        if let host = self.hosts[endpoint.key] {
            // Same origin, perhaps under a reloaded policy: open connections stay, and new ones take the
            // current settings (TLS trust, connect timeout, connection cap).
            host.endpoint = endpoint
            return host
        }
        let host = HostPool(endpoint: endpoint)
        self.hosts[endpoint.key] = host
        return host
    }

    private func enqueue(_ call: UpstreamCall, in host: HostPool, atFront: Bool) {
        if atFront {
            host.waiters.prepend(call)
        } else {
            host.waiters.append(call)
        }
        if call.queueTimeout == nil {
            let limit = call.endpoint.firstByteTimeout
            // The pool and its hosts live as long as the loop: no weak references (which cost every
            // later retain and release of them a slow path).
            call.queueTimeout = self.timers.arm(in: limit) {
                call.queueTimeout = nil
                call.fail(.timeout(host: call.endpoint.key.host, phase: "connection", after: limit))
                self.dispatch(host)
            }
        }
    }

    private func dispatch(_ host: HostPool) {
        while let call = host.waiters.first {
            if call.isFinished {
                host.waiters.removeFirst()
                continue
            }
            if let connection = host.http2, connection.usable, connection.channel.isActive {
                host.waiters.removeFirst()
                self.startStream(call, on: connection, host: host)
                continue
            }
            if let connection = self.popIdle(host) {
                host.waiters.removeFirst()
                self.startRequest(call, on: connection, host: host)
                continue
            }
            break
        }
        let pending = host.waiters.reduce(0) { $0 + ($1.isFinished ? 0 : 1) }
        guard pending > 0 else { return }
        if host.speaksHTTP2 {
            if host.connecting == 0 && host.http2 == nil { self.connect(host) }
            return
        }
        let room = host.endpoint.maxConnections - host.open - host.connecting
        let wanted = min(room, pending - host.connecting)
        if wanted > 0 {
            for _ in 0..<wanted { self.connect(host) }
        }
    }

    private func popIdle(_ host: HostPool) -> UpstreamConnection? {
        while let connection = host.idle.popLast() {
            guard connection.canTakeRequest else { continue }
            // Idle past the provider's idle timeout: the provider may be closing it; do not reuse.
            if case .http1(let handler) = connection.mode, handler.idleExpired(at: self.eventLoop.now) {
                connection.usable = false
                connection.channel.close(promise: nil)
                continue
            }
            return connection
        }
        return nil
    }

    private func connect(_ host: HostPool) {
        host.connecting += 1
        let endpoint = host.endpoint
        UpstreamConnector.connect(
            to: endpoint, on: self.eventLoop, timers: self.timers, fieldStrings: self.fieldStrings,
            flushes: self.flushes
        ).assumeIsolated().whenComplete { result in
            host.connecting -= 1
            switch result {
            case .success(let connection):
                host.open += 1
                self.onConnectionOpened?(endpoint)
                connection.channel.closeFuture.assumeIsolated().whenComplete { _ in
                    host.open -= 1
                    connection.usable = false
                    host.idle.removeAll { $0 === connection }
                    if host.http2 === connection { host.http2 = nil }
                    self.dispatch(host)
                }
                switch connection.mode {
                case .http2:
                    host.speaksHTTP2 = true
                    host.http2 = connection
                case .http1(let handler):
                    self.adopt(connection, handler: handler, host: host)
                    host.idle.append(connection)
                }
            case .failure(let error):
                let reason = UpstreamConnector.classify(error, host: endpoint.key.host, endpoint: endpoint)
                if let index = host.waiters.firstIndex(where: { !$0.isFinished }) {
                    let call = host.waiters.remove(at: index)
                    call.fail(reason)
                }
            }
            self.dispatch(host)
        }
    }

    private func startRequest(_ call: UpstreamCall, on connection: UpstreamConnection, host: HostPool) {
        guard case .http1(let handler) = connection.mode else { return }
        connection.busy = true
        call.attempts += 1
        call.queueTimeout?.cancel()
        call.queueTimeout = nil
        handler.start(call)
    }

    /// Wires an HTTP/1.1 connection's handler to the pool once, when the connection opens.
    private func adopt(_ connection: UpstreamConnection, handler: UpstreamResponseHandler, host: HostPool) {
        handler.onResponseComplete = { [unowned self, unowned connection, unowned host] reusable in
            connection.busy = false
            if reusable && connection.usable && connection.channel.isActive {
                host.idle.append(connection)
            } else {
                connection.usable = false
                connection.channel.close(promise: nil)
            }
            self.dispatch(host)
        }
        handler.onUnusable = { [unowned connection] in
            connection.usable = false
        }
        handler.onNotSent = { [unowned self, unowned host] call in
            self.retry(call, in: host)
        }
    }

    /// Takes back a call whose request never left, for one more try elsewhere.
    private func retry(_ call: UpstreamCall, in host: HostPool) -> Bool {
        guard call.attempts < 2 else { return false }
        self.enqueue(call, in: host, atFront: true)
        self.eventLoop.assumeIsolated().execute { self.dispatch(host) }
        return true
    }

    private func startStream(_ call: UpstreamCall, on connection: UpstreamConnection, host: HostPool) {
        guard case .http2(let multiplexer) = connection.mode else { return }
        call.attempts += 1
        call.queueTimeout?.cancel()
        call.queueTimeout = nil
        let hostName = call.endpoint.key.host
        let timers = self.timers
        multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                let sync = stream.pipeline.syncOperations
                try sync.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .https))
                try sync.addHandler(UpstreamResponseHandler(host: hostName, timers: timers, poolIdleTimeout: nil))
            }
        }.assumeIsolated().whenComplete { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let stream):
                guard !call.isFinished,
                    let handler = try? stream.pipeline.syncOperations.handler(type: UpstreamResponseHandler.self)
                else {
                    stream.close(promise: nil)
                    return
                }
                handler.onNotSent = { [unowned self, unowned host] call in
                    self.retry(call, in: host)
                }
                handler.start(call)
            case .failure:
                // No stream could be opened (GOAWAY, connection gone): nothing was sent.
                connection.usable = false
                if host.http2 === connection { host.http2 = nil }
                connection.channel.close(promise: nil)
                if call.attempts < 2 {
                    self.enqueue(call, in: host, atFront: true)
                    self.dispatch(host)
                } else {
                    call.fail(.closed(host: hostName, afterHead: false))
                }
            }
        }
    }
}

/// The connections and waiting calls of one origin.
final class HostPool {
    var endpoint: UpstreamEndpoint
    var idle: [UpstreamConnection] = []
    var http2: UpstreamConnection?
    var speaksHTTP2 = false
    var open = 0
    var connecting = 0
    var waiters = CircularBuffer<UpstreamCall>()

    init(endpoint: UpstreamEndpoint) {
        self.endpoint = endpoint
    }
}
