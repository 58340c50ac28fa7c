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

    @Test("the one formatter prints what the parser reads back", arguments: parsed)
    func roundTrip(_ c: (text: String, subject: Subject)) throws {
        let printed = c.subject.notation
        #expect(try IdentityNotation.subject(parsing: printed) == c.subject)
        #expect(PathNode(subject: c.subject)?.description == printed)
    }

    /// The formatter for each kind, and the forms beside it.
    static let formatted: [(subject: Subject, notation: String, displayName: String)] = [
        (.user("alice"), "user:alice", "User alice"),
        (.group("devs"), "group:devs", "Group devs"),
        (.serviceAccount("prod", "api"), "sa:prod/api", "ServiceAccount prod/api"),
        // An unknown kind matches no one; it is printed verbatim.
        (Subject(kind: "user", name: "bob"), "user:bob", "user bob"),
        (Subject(kind: "Robot", name: "r2"), "Robot:r2", "Robot r2"),
    ]

    @Test("formats", arguments: formatted)
    func formats(_ c: (subject: Subject, notation: String, displayName: String)) {
        #expect(c.subject.notation == c.notation)
        #expect(c.subject.displayName == c.displayName)
    }

    @Test("a service account's name, token and principal print the same")
    func serviceAccountForms() {
        let sa = ServiceAccountName(namespace: "prod", name: "api")
        #expect(sa.notation == "sa:prod/api")
        #expect(Identity.serviceAccount(sa).principalNotation == "sa:prod/api")
        #expect(Identity(name: "alice").principalNotation == "user:alice")
    }

    /// The kind is read byte for byte: other spellings, even canonically equivalent ones,
    /// are no kind at all (and match no one).
    @Test("subject kinds", arguments: [
        ("User", SubjectKind.user), ("Group", .group), ("ServiceAccount", .serviceAccount),
        ("user", nil), ("Users", nil), ("", nil), ("serviceaccount", nil), ("Gr\u{6F}up", .group),
        ("U\u{73}\u{65}r\u{0}", nil),
    ] as [(String, SubjectKind?)])
    func kinds(_ c: (String, SubjectKind?)) {
        #expect(SubjectKind(exactly: c.0) == c.1)
        #expect(Subject(kind: c.0, name: "x").knownKind == c.1)
    }

    @Test("a subject of a known kind gets the API group Kubernetes defaults")
    func apiGroups() {
        #expect(Subject(.user, name: "a").apiGroup == "rbac.authorization.k8s.io")
        #expect(Subject(.group, name: "a").apiGroup == "rbac.authorization.k8s.io")
        #expect(Subject(.serviceAccount, name: "a", namespace: "n").apiGroup == "")
        #expect(Subject.user("a") == Subject(kind: "User", name: "a", apiGroup: "rbac.authorization.k8s.io"))
    }
}
