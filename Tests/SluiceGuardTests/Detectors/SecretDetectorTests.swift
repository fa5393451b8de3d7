import SluiceGuard
import Testing

@Suite("secret detector")
struct SecretDetectorTests {
    // Fakes in the real formats, made for these tests; none was ever a live credential.
    static let jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUgRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        + ".gtD7fGUOv8fwNfBb0jXxUJR4QQAAabVVloZaXZxmCu1"
    static let openAIProject = "sk-proj-VShIqmArIntn9oX98WHgCtzC1uwB5FXZPf7stg7NvlE3LaruSrjLnonWKTn9"
    static let anthropic =
        "sk-ant-api03-UGKzEesg61SHE_qaQQ0NV3vTH1lS6V6-o9jl8zSOwW_rXL-iuItEnuj-hlrWB8gpj7ktsjs0sW5uqSVZAA"
    static let openAILegacy = "sk-1X72eSsFuquaKnx7lhq7aTnjx3oRuBMKlcnpLOwrLotCeOKD"
    static let gitHub = "ghp_5IHU9LeMjCadWYqnElNPt5XAWZ8R2a3Hs1jX"
    static let gitHubFineGrained =
        "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"
    static let slack = "xoxb-255848894212-1418660250975-Hqn9cPSCyI0ZAeijRP7eyCPf"
    static let aws = "AKIARJSS76HBITSVSB5W"
    static let stripe = "sk_live_Xrv0lICAQjdr6G4riMAbxzbm"
    static let pem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
        KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm
        -----END RSA PRIVATE KEY-----
        """

    @Test(
        "finds each credential format",
        arguments: [
            openAIProject, anthropic, openAILegacy, gitHub, gitHubFineGrained, slack, aws, stripe, jwt, pem,
            "ASIAY34FZKBOKMUTVV7A",
            "ghs_" + String(repeating: "a1", count: 18),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        ])
    func positives(secret: String) {
        #expect(values(.secret, in: "key=\(secret)\n") == [secret])
        #expect(values(.secret, in: "\"\(secret)\"") == [secret])
    }

    @Test(
        "leaves look-alikes alone",
        arguments: [
            "pip install sk-learn scikit-learn",
            "sk-this-is-not-a-real-key-at-all",
            "sk-short1",
            "task-1234567890abcdefghijk",
            "AKIA1234", "AKIAIOSFODNN7EXAMPLE1", "XAKIAIOSFODNN7EXAMPLE",
            "ghp_short", "ghx_0123456789012345678901234567890123456",
            "xoxz-1234567890-abc", "xoxb-abcdefghijklmnop",
            // Dotted base64 whose header has no alg, or is not JSON.
            "eyJ0eXAiOiJKV1QifQ.eyJhIjoxfQ.kst9ope261YeZr2uM5Sd",
            "eyJhbGciOi.eyJhbGciOi.abc",
            "-----BEGIN CERTIFICATE-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\n-----END PUBLIC KEY-----",
            "if line == \"-----BEGIN PRIVATE KEY-----\" { start() }",
            "----- section -----",
        ])
    func negatives(text: String) {
        #expect(values(.secret, in: text) == [])
    }

    @Test("a PEM key cut off before its END line is covered as far as its body goes")
    func truncatedPEM() {
        let text = "here:\n-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9\nKUpRKfFLfR"
        #expect(values(.secret, in: text) == [String(text.dropFirst(6))])
        let withTail = text + "\" and then prose"
        #expect(values(.secret, in: withTail) == [String(text.dropFirst(6))])
    }
}
