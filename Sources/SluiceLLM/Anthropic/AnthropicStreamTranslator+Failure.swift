extension AnthropicStreamTranslator {
    /// Why a translated stream failed.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        /// Anthropic sent an `error` event (`overloaded_error` mid-stream, for example).
        case upstream(AnthropicError)
        /// Sluice ended it: the stream stopped before its final event, or an event was too large.
        case sluice(SluiceError)

        /// The status an answer with this error would have had, for logs and retry decisions.
        public var httpStatus: Int {
            switch self {
            case .upstream(let error): error.httpStatus
            case .sluice(let error): error.httpStatus
            }
        }

        /// The OpenAI in-band error frame, `data: {"error":{…}}\n\n`.
        public func openAIStreamErrorEvent() -> [UInt8] {
            switch self {
            case .upstream(let error): error.openAIStreamErrorEvent()
            case .sluice(let error): error.openAIStreamErrorEvent()
            }
        }

        /// The error, for logs.
        public var description: String {
            switch self {
            case .upstream(let error): error.description
            case .sluice(let error): error.description
            }
        }
    }
}
