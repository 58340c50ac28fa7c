import RBACCore
import Testing

/// Baselines (`report --ignore FILE`): which entries accept which findings, read byte for byte.
@Suite("Baseline")
struct BaselineTests {
    static let secretsRead = FindingRule.all.first { $0.id == "secrets-read" }!

    /// A `secrets-read` finding on `RoleBinding/prod/read` for `principal`.
    static func finding(_ principal: String?, binding: String = "read") -> Finding {
        secretsRead.finding(
            severity: .high, message: "reads secrets", principal: principal,
            object: ObjectRef(kind: "RoleBinding", namespace: "prod", name: binding))
    }

    @Test("an entry accepts the finding with its key, or every finding whose key continues it after a space", arguments: [
        ("secrets-read RoleBinding/prod/read user:alice", "user:alice", true),
        ("secrets-read RoleBinding/prod/read", "user:alice", true),      // every principal
        ("secrets-read RoleBinding/prod/read", nil, true),               // the key itself
        ("secrets-read RoleBinding/prod/re", "user:alice", false),       // not at a space
        ("secrets-read RoleBinding/prod/read user:al", "user:alice", false),
        ("secrets-read", "user:alice", true),                            // the rule everywhere
        ("secrets-read RoleBinding/prod/read user:bob", "user:alice", false),
        ("  secrets-read RoleBinding/prod/read user:alice \t", "user:alice", true),  // trimmed
        ("# secrets-read RoleBinding/prod/read user:alice", "user:alice", false),    // a comment
    ] as [(String, String?, Bool)])
    func accepts(entry: String, principal: String?, accepted: Bool) {
        #expect(Baseline(lines: [entry]).accepts(Self.finding(principal)) == accepted)
    }

    @Test("two spellings of one name are two identities: an entry for one does not hide the other's finding")
    func byteExact() {
        let composed = "user:zo\u{EB}", decomposed = "user:zoe\u{308}"
        #expect(composed == decomposed)  // Swift calls them equal; the API server does not
        let baseline = Baseline(lines: ["secrets-read RoleBinding/prod/read \(composed)"])
        #expect(baseline.accepts(Self.finding(composed)))
        #expect(!baseline.accepts(Self.finding(decomposed)))
        #expect(baseline.unmatched(by: [Self.finding(decomposed)]) == ["secrets-read RoleBinding/prod/read \(composed)"])
    }

    @Test("a file with CRLF line ends reads as one with LF: every line an entry, comments still comments")
    func crlf() {
        let text = "# accepted\r\nsecrets-read RoleBinding/prod/read user:alice\r\nsecrets-read RoleBinding/prod/other\r\n"
        let baseline = Baseline(text: text)
        #expect(baseline.entries == ["secrets-read RoleBinding/prod/read user:alice", "secrets-read RoleBinding/prod/other"])
        #expect(baseline.accepts(Self.finding("user:alice")))
        #expect(baseline.accepts(Self.finding("user:bob", binding: "other")))
        #expect(!baseline.accepts(Self.finding("user:bob")))
    }

    @Test("entries that accept no finding are named, in file order")
    func unmatched() {
        let baseline = Baseline(lines: ["secrets-read RoleBinding/prod/gone", "secrets-read RoleBinding/prod/read", "typo"])
        #expect(baseline.unmatched(by: [Self.finding("user:alice")]) == ["secrets-read RoleBinding/prod/gone", "typo"])
        #expect(Baseline().unmatched(by: [Self.finding("user:alice")]).isEmpty)
        #expect(Baseline(text: "\n# only a comment\n\n").isEmpty)
    }

    @Test("a space after a prepended character still ends a prefix (no Character rounding)")
    func prependedSpace() {
        // U+0600 (Arabic number sign) prepends to what follows: "\u{600} x" is two Characters,
        // the first of them "\u{600} ", so a String index at the space rounds down.
        let principal = "user:a\u{600} b"
        let baseline = Baseline(lines: ["secrets-read RoleBinding/prod/read user:a\u{600}"])
        #expect(baseline.accepts(Self.finding(principal)))
        #expect(!baseline.accepts(Self.finding("user:a\u{600}b")))
    }
}
