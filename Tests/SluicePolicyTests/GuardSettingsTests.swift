import Testing
import Yams

@testable import SluicePolicy

/// The `redact:` and `guard:` blocks of a workload, decoded from YAML on their own (the
/// `workloads:` decoder will call the same functions).
@Suite("redact and guard settings")
struct GuardSettingsTests {
    /// Decodes `yaml` (a workload body with `redact:` and/or `guard:`) and returns the settings
    /// and the issues as `FILE:LINE:COL: message` lines.
    static func decode(_ yaml: String) throws -> (RedactionSettings?, GuardSettings?, [String]) {
        let root = try #require(try Yams.compose(yaml: yaml, .default, .default, .utf8))
        var decoder = PolicyDecoder(file: "policy.yaml", environment: .inMemory(variables: [:], files: [:]))
        var redaction: RedactionSettings?
        var guards: GuardSettings?
        for field in decoder.entries(of: root, label: "workload") ?? [] {
            switch field.key {
            case "redact": redaction = decoder.decodeRedaction(field, workload: "checkout")
            case "guard": guards = decoder.decodeGuard(field, workload: "checkout")
            default: Issue.record("unexpected key \(field.key)")
            }
        }
        return (redaction, guards, decoder.sortedIssues.map(\.description))
    }

    @Test("the design's example decodes")
    func designExample() throws {
        let (redaction, guards, issues) = try Self.decode(
            """
            redact:
              detectors: [email, phone, credit_card, ssn, iban, ip_address, secret]
              custom: [ { name: employee_id, pattern: "EMP-[0-9]{6}" } ]
              action: mask
              restore: true
            guard:
              deny: [ { name: no_exfil, pattern: "(?i)ignore (all|previous) instructions" } ]
              injection: block
              max_prompt_bytes: 200000
            """)
        #expect(issues == [])
        #expect(redaction?.detectors == RedactionSettings.detectorNames)
        #expect(redaction?.custom == [.pattern("employee_id", "EMP-[0-9]{6}")])
        #expect(redaction?.action == .mask)
        #expect(redaction?.restore == true)
        #expect(redaction?.output == false)
        #expect(guards?.deny == [.pattern("no_exfil", "(?i)ignore (all|previous) instructions")])
        #expect(guards?.injection == .block)
        #expect(guards?.maxPromptBytes == 200_000)
    }

    @Test("defaults: every detector, mask, no restore, injection off, no size cap")
    func defaults() throws {
        let (redaction, guards, issues) = try Self.decode("redact:\nguard:\n")
        #expect(issues == [])
        #expect(redaction == RedactionSettings())
        #expect(redaction?.detectors.count == 7)
        #expect(guards == GuardSettings())
    }

    @Test("terms rules, sizes with units, output and log")
    func termsAndSizes() throws {
        let (redaction, guards, issues) = try Self.decode(
            """
            redact:
              detectors: []
              custom:
                - { name: codename, terms: [Project Falcon, Bluebird] }
              action: log
              output: true
            guard:
              deny:
                - name: competitors
                  terms: [acme corp]
              injection: flag
              max_prompt_bytes: 64KiB
            """)
        #expect(issues == [])
        #expect(redaction?.detectors == [])
        #expect(redaction?.custom == [.terms("codename", ["Project Falcon", "Bluebird"])])
        #expect(redaction?.action == .log)
        #expect(redaction?.output == true)
        #expect(guards?.deny == [.terms("competitors", ["acme corp"])])
        #expect(guards?.injection == .flag)
        #expect(guards?.maxPromptBytes == 65_536)
    }

    @Test("an invalid custom regex is an issue at the pattern's line and column")
    func invalidCustomRegex() throws {
        let (redaction, _, issues) = try Self.decode(
            """
            redact:
              custom:
                - { name: ok, pattern: "EMP-[0-9]{6}" }
                - { name: broken, pattern: "EMP-([0-9]{6}" }
            """)
        #expect(redaction == nil)
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(
            issue.hasPrefix(
                "policy.yaml:4:32: the pattern of rule 'broken' in 'redact' of workload 'checkout' "
                    + "is not a valid regular expression: "))
    }

    @Test("an invalid deny regex is an issue at its line")
    func invalidDenyRegex() throws {
        let (_, guards, issues) = try Self.decode(
            """
            guard:
              deny:
                - name: bad
                  pattern: "(?<name"
            """)
        #expect(guards == nil)
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("policy.yaml:4:16: the pattern of rule 'bad' in 'guard' of workload") == true)
    }

    @Test(
        "each mistake is reported where it is",
        arguments: [
            (
                "redact:\n  detectors: [email, passport]\n",
                "policy.yaml:2:22: unknown detector 'passport' in 'redact' of workload 'checkout'; expected one of: "
                    + "email, phone, credit_card, ssn, iban, ip_address, secret (name your own patterns under 'custom')"
            ),
            (
                "redact:\n  detectors: [email, email]\n",
                "policy.yaml:2:22: detector 'email' is listed twice in 'redact' of workload 'checkout'"
            ),
            (
                "redact:\n  detectors: email\n",
                "policy.yaml:2:14: 'detectors' in 'redact' of workload 'checkout' must be a list such as [email, phone], "
                    + "got string \"email\""
            ),
            (
                "redact:\n  action: hide\n",
                "policy.yaml:2:11: unknown redaction action 'hide' in 'redact' of workload 'checkout'; "
                    + "expected one of: mask, block, log"
            ),
            (
                "redact:\n  action: block\n  restore: true\n",
                "policy.yaml:3:3: 'restore: true' in 'redact' of workload 'checkout' needs action: mask, since only "
                    + "masked values can be put back; remove 'restore' or set action: mask"
            ),
            (
                "redact:\n  restore: yes please\n",
                "policy.yaml:2:12: 'restore' must be true or false, got string \"yes please\""
            ),
            (
                "redact:\n  mask: true\n",
                "policy.yaml:2:3: unknown key 'mask' in 'redact' of workload 'checkout'; "
                    + "expected one of: detectors, custom, action, restore, output"
            ),
            (
                "redact:\n  custom: [ { name: email, pattern: x } ]\n",
                "policy.yaml:2:21: rule name 'email' is a built-in detector; list it under 'detectors' or pick another name"
            ),
            (
                "redact:\n  custom: [ { name: a, pattern: x }, { name: a, pattern: y } ]\n",
                "policy.yaml:2:46: rule name 'a' is used twice in 'redact' of workload 'checkout'"
            ),
            (
                "redact:\n  custom: [ { name: a } ]\n",
                "policy.yaml:2:13: rule 'a' in 'redact' of workload 'checkout' needs a 'pattern' or a 'terms' list"
            ),
            (
                "redact:\n  custom: [ { name: a, pattern: x, terms: [y] } ]\n",
                "policy.yaml:2:36: rule 'a' in 'redact' of workload 'checkout' has both 'pattern' and 'terms'; keep one"
            ),
            (
                "redact:\n  custom: [ { name: a, terms: [] } ]\n",
                "policy.yaml:2:31: the terms of rule 'a' in 'redact' of workload 'checkout' must be a non-empty list of "
                    + "words or phrases, got a list"
            ),
            (
                "redact:\n  custom: [ { pattern: x } ]\n",
                "policy.yaml:2:13: missing required key 'name' in rule 1 of 'custom' in 'redact' of workload 'checkout'"
            ),
            (
                "redact:\n  custom: [ \"EMP-1\" ]\n",
                "policy.yaml:2:13: rule 1 of 'custom' in 'redact' of workload 'checkout' must be a mapping such as "
                    + "{ name: NAME, pattern: REGEX } or { name: NAME, terms: [...] }, got string \"EMP-1\""
            ),
            (
                "guard:\n  injection: maybe\n",
                "policy.yaml:2:14: unknown injection mode 'maybe' in 'guard' of workload 'checkout'; "
                    + "expected one of: block, flag, off"
            ),
            (
                "guard:\n  max_prompt_bytes: lots\n",
                "policy.yaml:2:21: 'max_prompt_bytes' is not a size: \"lots\"; write e.g. 512KiB, 4MiB, 1MB or a number of bytes"
            ),
            (
                "guard:\n  deny: { name: x }\n",
                "policy.yaml:2:9: 'deny' in 'guard' of workload 'checkout' must be a list such as "
                    + "[ { name: NAME, pattern: REGEX } ], got a mapping"
            ),
        ])
    func mistakes(yaml: String, expected: String) throws {
        let (_, _, issues) = try Self.decode(yaml)
        #expect(issues == [expected])
    }
}
