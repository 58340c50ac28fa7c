import RBACCore
import RBACLoading
import RBACPresentation
import Testing

/// Names in the report's Markdown and HTML are escaped byte by byte: a `|` or `<` followed by a
/// combining mark is one Character to Swift but still the byte a Markdown table or an HTML
/// reader splits on, and a `\r\n` inside a name must not end a table row.
@Suite("Report: escaping names in Markdown and HTML")
struct ReportEscapingTests {
    /// cluster-admin bound to one user whose name is `name`.
    static func report(user name: String) throws -> Report {
        let yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: admin-all}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: admins}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin-all}
            subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: "\(name)"}]
            """
        let loaded = try ManifestLoader().load(yaml: yaml)
        #expect(!loaded.hasErrors)
        return Report(graph: AccessGraph(loaded.cluster), inputSummary: "test")
    }

    @Test("every | and * of a name is escaped in Markdown, also before a combining mark", arguments: ["eve|x", "eve|\\u0301x", "eve*\\u0301x"])
    func markdownBytes(_ name: String) throws {
        let md = Array(try Self.report(user: name).markdown().utf8)
        var escapedNameBytes = 0
        for (i, b) in md.enumerated() where (b == UInt8(ascii: "|") || b == UInt8(ascii: "*")) && i > 3 {
            // The name's byte sits right after "eve"; Markdown's own `|` and `**` do not.
            if md[i - 3..<i].elementsEqual("eve".utf8) {
                escapedNameBytes += 1
                Issue.record("unescaped \(Character(UnicodeScalar(b))) after eve at byte \(i)")
            }
            if md[i - 4..<i].elementsEqual("eve\\".utf8) { escapedNameBytes += 1 }
        }
        #expect(escapedNameBytes > 0, "the name does not appear escaped in the Markdown")
    }

    @Test("a line break inside a name becomes one space in Markdown, \\r\\n included", arguments: ["eve\\r\\nx", "eve\\nx", "eve\\rx"])
    func markdownLineBreaks(_ name: String) throws {
        let md = try Self.report(user: name).markdown()
        #expect(!md.utf8.contains(UInt8(ascii: "\r")))
        #expect(md.contains("user:eve x"))
        #expect(!md.contains("eve\n"))
    }

    @Test("< & and \" in a name are entities in HTML, also before a combining mark")
    func htmlBytes() throws {
        let html = try Self.report(user: "eve<\\u0301b&\\u0301c\\\"\\u0301d").html()
        #expect(html.contains("eve&lt;\u{301}b&amp;\u{301}c&quot;\u{301}d"))
        #expect(!html.utf8.split(separator: UInt8(ascii: "e")).contains { $0.starts(with: "ve<".utf8) })
    }
}
