extension AnthropicStreamTranslator {
    /// Where a translated stream stands.
    public enum Phase: Sendable, Hashable {
        /// Events are being read.
        case streaming
        /// The answer is complete: the finish chunk, the usage chunk if asked for, and
        /// `data: [DONE]` have been produced.
        case finished
        /// The stream failed; its in-band error frame has been produced and no `[DONE]` follows.
        /// If ``AnthropicStreamTranslator/emittedContent`` is still false, the proxy may drop
        /// the held-back output and try another target instead.
        case failed(Failure)
    }
}
