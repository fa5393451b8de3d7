import Logging
import NIOConcurrencyHelpers
import NIOCore
public import SluicePolicy

extension Gateway {
    /// Swaps in a newly loaded policy, or keeps the active one and says why not.
    ///
    /// The new policy is compiled whole before anything changes; a listener whose address changed is
    /// bound anew before the old one closes (connections on the old port finish normally); requests
    /// already running finish under the policy they started with.
    @discardableResult
    public func apply(_ loaded: LoadedPolicy) async -> Bool {
        let logger = self.state.logger
        let snapshot: PolicySnapshot
        do {
            snapshot = try PolicySnapshot(loaded, workload: self.workload)
        } catch {
            self.state.recordReloadFailure(error.description)
            logger.error("policy reload failed; the active policy stays", metadata: ["problem": .string(error.description)])
            return false
        }
        let old = self.state.snapshot.loaded.policy.listen
        let new = loaded.policy.listen
        var newApp: AppListener?
        var newAdmin: AdminListener?
        do {
            if new.app != old.app { newApp = try await self.bindApp(new.app) }
            if new.admin != old.admin, let admin = new.admin { newAdmin = try await self.bindAdmin(admin) }
        } catch {
            // Keep every old listener: close whatever of the new ones did bind.
            try? await newApp?.channel.close()
            try? await newAdmin?.channel.close()
            let problem = "cannot listen on the new address (\(error)); keeping the old listeners and policy"
            self.state.recordReloadFailure(problem)
            logger.error("policy reload failed; the active policy stays", metadata: ["problem": .string(problem)])
            return false
        }
        self.state.replace(snapshot)
        let (retiredApp, retiredAdmin) = self.runtime.withLockedValue { runtime -> (AppListener?, AdminListener?) in
            var retired: (AppListener?, AdminListener?) = (nil, nil)
            if let newApp {
                retired.0 = runtime.app
                runtime.app = newApp
            }
            if new.admin != old.admin {
                retired.1 = runtime.admin
                runtime.admin = newAdmin
            }
            return retired
        }
        _ = self.drain(retiredApp)
        try? await retiredAdmin?.channel.close()
        self.state.recordReloadSuccess()
        logger.info("policy reloaded", metadata: ["policy_sha256": .string(loaded.sha256)])
        return true
    }
}
