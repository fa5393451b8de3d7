import ArgumentParser
import SluicePolicy

/// `sluice key`: virtual keys that identify callers as workloads.
///
/// The key goes to the caller (its `Authorization: Bearer` or `x-api-key`); only the `sha256:`
/// line goes into the policy's `workloads.<name>.keys`.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make virtual keys for workloads and hash them for the policy.",
        subcommands: [New.self, Hash.self]
    )
}

extension Key {
    /// `sluice key new`: a fresh random key, then its hash for the policy.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a fresh random key, and on the next line its sha256: hash for the policy's 'keys'."
        )

        func run() {
            var generator = SystemRandomNumberGenerator()
            let key = VirtualKey.generate(using: &generator)
            print(key)
            print(KeyHash(hashing: key))
        }
    }

    /// `sluice key hash`: the hash of a key read from stdin, so the key never appears in
    /// `ps` or the shell's history.
    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one key from stdin and print its sha256: hash for the policy's 'keys'.",
            discussion: "Example: sluice key hash < checkout.key"
        )

        func run() throws {
            var input = ""
            while let line = readLine(strippingNewline: false) { input += line }
            guard let key = VirtualKey.key(fromInput: input) else {
                throw InputError()
            }
            print(KeyHash(hashing: key))
        }
    }

    /// Stdin held no key, or more than one word; ArgumentParser prints it and exits 1.
    private struct InputError: Error, CustomStringConvertible {
        var description: String { "expected one key on stdin, e.g. sluice key hash < checkout.key" }
    }
}
