import ArgumentParser
import SluicePolicy
import SluiceProxy

/// `sluice validate FILE`: prints `FILE:LINE:COL: message` for each problem and exits 1, or `ok`.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a policy file without running it.")

    @Argument(help: "The policy file to check.")
    var file: String

    func run() throws {
        let loaded: LoadedPolicy
        do {
            loaded = try PolicyLoader.load(path: self.file)
        } catch {
            for issue in error.issues { print(issue.description) }
            throw ExitCode(1)
        }
        do {
            _ = try PolicySnapshot(loaded)
        } catch {
            print("\(self.file): \(error.description)")
            throw ExitCode(1)
        }
        print("ok")
    }
}
