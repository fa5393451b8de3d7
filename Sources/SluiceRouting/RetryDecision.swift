/// What follows a failed attempt, as ``RetryPolicy`` decides it.
public enum RetryDecision: Sendable, Hashable {
    /// Try the same target again after this pause.
    case retrySameTarget(after: Duration)
    /// Move on to the next target at once.
    case nextTarget
    /// Stop: the failure reaches the app.
    case giveUp(GiveUpReason)
}
