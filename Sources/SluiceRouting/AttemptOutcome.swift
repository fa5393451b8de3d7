/// How one attempt at a target ended, as the ``TargetBook`` records it.
public enum AttemptOutcome: Sendable, Hashable {
    /// The target answered; `firstByteAfter` is the time from sending the request to the first
    /// byte of the answer (the latency sample), when known.
    case success(firstByteAfter: Duration?)
    /// The attempt failed; `elapsed` is the time it took (a timeout's counts as a latency sample).
    case failure(AttemptFailure, elapsed: Duration?)
    /// The attempt ended without a verdict on the target: the app went away, or the stream had
    /// already reached the app when it failed in a way that says nothing about the target.
    case abandoned
}
