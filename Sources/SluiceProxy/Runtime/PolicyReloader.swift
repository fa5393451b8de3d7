import Logging
public import ServiceLifecycle
public import SluicePolicy
public import UnixSignals

/// Reloads the policy when its file, or a file it references, changes, and at once on SIGHUP.
///
/// Polls file fingerprints every `interval` (a quarter second by default, so a change applies well
/// within a second) and serialises reloads, so a signal and a file change never race.
public final class PolicyReloader: Service, Sendable {
    private let path: String
    private let gateway: Gateway
    private let environment: PolicyEnvironment
    private let interval: Duration
    private let sighup: UnixSignalsSequence?

    /// `sighup`: SIGHUP, trapped already. The command traps it before the gateway reports ready, since a
    /// SIGHUP that arrives before it is trapped ends the process; without it, `run()` traps it itself.
    public init(
        path: String,
        gateway: Gateway,
        environment: PolicyEnvironment = .process,
        interval: Duration = .milliseconds(250),
        sighup: UnixSignalsSequence? = nil
    ) {
        self.path = path
        self.gateway = gateway
        self.environment = environment
        self.interval = interval
        self.sighup = sighup
    }

    public func run() async throws {
        let (reasons, requests) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchFiles(requests) }
            group.addTask { await self.watchSignals(requests) }
            group.addTask {
                // One consumer: reloads never overlap, and a burst of changes collapses into one.
                for await reason in reasons { await self.reload(reason: reason) }
            }
            try? await gracefulShutdown()
            requests.finish()
            group.cancelAll()
        }
    }

    /// Loads the file and applies it. Only the service's own loop calls this, one reload at a time.
    @discardableResult
    func reload(reason: String) async -> Bool {
        let logger = self.gateway.state.logger
        logger.info("reloading policy", metadata: ["reason": .string(reason), "file": .string(self.path)])
        do {
            let loaded = try PolicyLoader.load(path: self.path, environment: self.environment)
            return await self.gateway.apply(loaded)
        } catch {
            let problems = error.issues.map(\.description)
            self.gateway.state.recordReloadFailure(problems.joined(separator: "\n"))
            for problem in problems {
                logger.error("policy reload failed; the active policy stays", metadata: ["problem": .string(problem)])
            }
            return false
        }
    }

    private func watchFiles(_ requests: AsyncStream<String>.Continuation) async {
        var watcher = PolicyWatcher(paths: self.watchedPaths())
        // The watcher's first fingerprints are taken now, not when the policy was read: a file rewritten
        // in between (a ConfigMap update during start-up) would pass unnoticed. Compare with what was
        // loaded instead.
        if self.policyFileDiffersFromLoaded() { requests.yield("file changed since it was loaded") }
        while !Task.isCancelled {
            try? await Task.sleep(for: self.interval)
            if Task.isCancelled { return }
            // Follow the files the active policy names (a reload may add or drop secret files).
            watcher.watch(self.watchedPaths())
            if watcher.poll() { requests.yield("file changed") }
        }
    }

    private func watchSignals(_ requests: AsyncStream<String>.Continuation) async {
        let signals: UnixSignalsSequence
        if let sighup = self.sighup {
            signals = sighup
        } else {
            signals = await UnixSignalsSequence(trapping: .sighup)
        }
        for await _ in signals {
            requests.yield("SIGHUP")
        }
    }

    /// Whether the policy file's text now differs from the text the active policy was loaded from.
    private func policyFileDiffersFromLoaded() -> Bool {
        guard let text = try? self.environment.readFile(self.path) else { return true }
        return LoadedPolicy.sha256(ofText: text) != self.gateway.state.snapshot.loaded.sha256
    }

    private func watchedPaths() -> [String] {
        [self.path] + self.gateway.state.snapshot.loaded.policy.referencedFiles
    }
}

