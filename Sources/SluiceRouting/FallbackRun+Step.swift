extension FallbackRun {
    /// What the proxy does next.
    public enum Step: Sendable, Hashable {
        /// Send the request to this attempt's target now.
        case attempt(Attempt)
        /// Wait this long (a backoff), then call ``FallbackRun/next(book:at:)``.
        case wait(Duration)
        /// Stop. `lastFailure` is what the app should hear about (nil when nothing could be
        /// tried: a 503); `reason` says why trying ended.
        case giveUp(lastFailure: AttemptFailure?, reason: GiveUpReason)
    }
}
