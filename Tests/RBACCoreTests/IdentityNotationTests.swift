import Testing
@testable import RBACCore

/// The identity notation printed everywhere (`user:`, `group:`, `sa:NS/NAME`), read back by one
/// parser, and kubectl's `--as` with that notation accepted.
@Suite("identity notation")
struct IdentityNotationTests {
    static let parsed: [(text: String, subject: Subject)] = [
        ("user:alice", .user("alice")),
        ("user:system:anonymous", .user("system:anonymous")),
        ("user:system:serviceaccount:prod:api", .serviceAccount("prod", "api")),
        ("group:system:masters", .group("system:masters")),
        ("sa:prod/api", .serviceAccount("prod", "api")),
    ]

    @Test("parses", arguments: parsed)
    func parses(_ c: (text: String, subject: Subject)) throws {
        #expect(try IdentityNotation.subject(parsing: c.text) == c.subject)
    }

    @Test("refuses", arguments: ["", "alice", "user:", "group:", "sa:", "sa:prod", "sa:/api", "sa:prod/", "sa:a/b/c", "User:alice"])
    func refuses(_ text: String) {
        #expect(throws: IdentityNotation.ParseError.self) { try IdentityNotation.subject(parsing: text) }
    }

    /// `--as VALUE [--as-group G]` → the identity the API server sees.
    static let impersonated: [(value: String, groups: [String], identity: Identity)] = [
        ("alice", [], Identity(name: "alice", groups: ["system:authenticated"])),
        ("user:alice", ["devs"], Identity(name: "alice", groups: ["devs", "system:authenticated"])),
        ("sa:prod/api", [], .serviceAccount(namespace: "prod", name: "api")),
        ("system:serviceaccount:prod:api", [], .serviceAccount(namespace: "prod", name: "api")),
        ("user:system:serviceaccount:prod:api", [], .serviceAccount(namespace: "prod", name: "api")),
        ("group:devs", [], Identity(name: "", groups: ["devs", "system:authenticated"])),
        ("system:anonymous", [], .anonymous),
    ]

    @Test("--as", arguments: impersonated)
    func impersonating(_ c: (value: String, groups: [String], identity: Identity)) throws {
        #expect(try Identity.impersonating(c.value, groups: c.groups) == c.identity)
    }

    @Test("--as refuses an empty value, a malformed notation, and groups for a service account")
    func impersonatingRefuses() {
        #expect(throws: IdentityNotation.ParseError.self) { try Identity.impersonating("") }
        #expect(throws: IdentityNotation.ParseError.self) { try Identity.impersonating("sa:prod") }
        #expect(throws: IdentityNotation.ParseError.self) { try Identity.impersonating("sa:prod/api", groups: ["devs"]) }
    }

    @Test("PathNode reads the same notation")
    func pathNode() {
        #expect(PathNode.identity(parsing: "sa:prod/api") == .serviceAccount(namespace: "prod", name: "api"))
        #expect(PathNode.identity(parsing: "group:devs") == .group("devs"))
        #expect(PathNode.identity(parsing: "alice") == nil)
    }
}
