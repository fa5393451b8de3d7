import ArgumentParser

/// `sluice`: the AI gateway sidecar. Command-line parsing only; the work lives in the libraries.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "An AI gateway that runs beside your app.",
        version: SluiceVersion.text,
        subcommands: [Run.self, Validate.self, Key.self, Version.self, Inject.self, Webhook.self, HealthCheck.self],
        defaultSubcommand: Run.self
    )
}

enum SluiceVersion {
    static let text = "0.1.0"
}
