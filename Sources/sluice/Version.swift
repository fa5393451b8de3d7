import ArgumentParser

/// `sluice version`: prints the version.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print Sluice's version.")

    func run() {
        print("sluice \(SluiceVersion.text)")
    }
}
