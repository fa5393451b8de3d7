extension SluiceError {
    /// The kind of a ``SluiceError``: its HTTP status and its names in the OpenAI and Anthropic
    /// envelopes. New codes may be added; match with `==`, not an exhaustive `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Wrapped: Sendable, Hashable {
            case invalidHTTP, invalidJSON, invalidField, unauthorized, modelNotAllowed, modelNotFound, notFound
            case methodNotAllowed, bodyTooLarge, promptBlocked, rateLimited, budgetExceeded
            case upstreamUnreachable, upstreamTLS, upstreamTimeout, upstreamProtocol
            case noHealthyTarget, `internal`, shuttingDown
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// 400: the request is not valid HTTP/1.1 (its line, a header, its framing); the connection closes.
        public static let invalidHTTP = Code(.invalidHTTP)
        /// 400: the body is not one valid JSON object.
        public static let invalidJSON = Code(.invalidJSON)
        /// 400: a field is missing or has the wrong type or value; `param` names it.
        public static let invalidField = Code(.invalidField)
        /// 401: no virtual key, or one this policy does not know.
        public static let unauthorized = Code(.unauthorized)
        /// 403: the workload may not use the model it asked for.
        public static let modelNotAllowed = Code(.modelNotAllowed)
        /// 404: the model is not in the policy.
        public static let modelNotFound = Code(.modelNotFound)
        /// 404: no endpoint at this path.
        public static let notFound = Code(.notFound)
        /// 405: the endpoint exists but not for this method.
        public static let methodNotAllowed = Code(.methodNotAllowed)
        /// 413: the body is over the size limit.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// 400: a guard rule refused the prompt.
        public static let promptBlocked = Code(.promptBlocked)
        /// 429: a request or token rate limit is reached.
        public static let rateLimited = Code(.rateLimited)
        /// 429: a spend budget is used up.
        public static let budgetExceeded = Code(.budgetExceeded)
        /// 502: no connection to the provider (DNS, refused, reset).
        public static let upstreamUnreachable = Code(.upstreamUnreachable)
        /// 502: the provider's TLS certificate was not trusted.
        public static let upstreamTLS = Code(.upstreamTLS)
        /// 504: the provider did not answer in time.
        public static let upstreamTimeout = Code(.upstreamTimeout)
        /// 502: the provider sent something Sluice cannot read.
        public static let upstreamProtocol = Code(.upstreamProtocol)
        /// 503: every target of the model is unhealthy.
        public static let noHealthyTarget = Code(.noHealthyTarget)
        /// 500: a bug in Sluice.
        public static let `internal` = Code(.internal)
        /// 503: this Sluice is draining for shutdown.
        public static let shuttingDown = Code(.shuttingDown)

        /// The HTTP status for this code.
        public var httpStatus: Int {
            switch wrapped {
            case .invalidHTTP, .invalidJSON, .invalidField, .promptBlocked: 400
            case .unauthorized: 401
            case .modelNotAllowed: 403
            case .modelNotFound, .notFound: 404
            case .methodNotAllowed: 405
            case .bodyTooLarge: 413
            case .rateLimited, .budgetExceeded: 429
            case .internal: 500
            case .upstreamUnreachable, .upstreamTLS, .upstreamProtocol: 502
            case .noHealthyTarget, .shuttingDown: 503
            case .upstreamTimeout: 504
            }
        }

        /// The `type` of the OpenAI envelope.
        public var openAIType: String {
            switch wrapped {
            case .invalidHTTP, .invalidJSON, .invalidField, .unauthorized, .modelNotAllowed, .modelNotFound, .notFound,
                .methodNotAllowed, .bodyTooLarge, .promptBlocked:
                "invalid_request_error"
            case .rateLimited: "rate_limit_error"
            case .budgetExceeded: "insufficient_quota"
            case .upstreamUnreachable, .upstreamTLS, .upstreamTimeout, .upstreamProtocol, .noHealthyTarget:
                "api_error"
            case .internal, .shuttingDown: "server_error"
            }
        }

        /// The default `code` of the OpenAI envelope; an error may carry a more precise one.
        public var openAICode: String {
            switch wrapped {
            case .invalidHTTP: "invalid_http"
            case .invalidJSON: "invalid_json"
            case .invalidField: "invalid_value"
            case .unauthorized: "invalid_api_key"
            case .modelNotAllowed: "model_not_allowed"
            case .modelNotFound: "model_not_found"
            case .notFound: "unknown_url"
            case .methodNotAllowed: "method_not_allowed"
            case .bodyTooLarge: "request_too_large"
            case .promptBlocked: "prompt_blocked"
            case .rateLimited: "rate_limit_exceeded"
            case .budgetExceeded: "budget_exceeded"
            case .upstreamUnreachable: "upstream_unreachable"
            case .upstreamTLS: "upstream_tls_error"
            case .upstreamTimeout: "upstream_timeout"
            case .upstreamProtocol: "upstream_protocol_error"
            case .noHealthyTarget: "no_healthy_target"
            case .internal: "internal_error"
            case .shuttingDown: "shutting_down"
            }
        }

        /// The `error.type` of the Anthropic envelope.
        public var anthropicType: String {
            switch wrapped {
            case .invalidHTTP, .invalidJSON, .invalidField, .methodNotAllowed, .promptBlocked: "invalid_request_error"
            case .unauthorized: "authentication_error"
            case .modelNotAllowed: "permission_error"
            case .modelNotFound, .notFound: "not_found_error"
            case .bodyTooLarge: "request_too_large"
            case .rateLimited, .budgetExceeded: "rate_limit_error"
            case .upstreamUnreachable, .upstreamTLS, .upstreamTimeout, .upstreamProtocol, .internal: "api_error"
            case .noHealthyTarget, .shuttingDown: "overloaded_error"
            }
        }

        /// The code's name, e.g. `modelNotFound`.
        public var description: String {
            switch wrapped {
            case .internal: "internal"
            default: "\(wrapped)"
            }
        }
    }
}
