import Testing
import RBACCore

/// Vault's path matching (`vault/acl.go`) and the Kubernetes auth plugin's role binding.
@Suite struct VaultACLTests {
    static func acl(_ rules: [(String, VaultCapabilities)], policy: String = "p") -> VaultACL {
        VaultACL([(policy, rules.map { VaultPathRule(path: $0.0, capabilities: $0.1) })])
    }

    /// Which pattern decides a path when several match, and what it grants.
    @Test(arguments: [
        // An exact path beats every glob.
        ([("secret/data/prod/db", VaultCapabilities.read), ("secret/data/prod/*", [.read, .update])], "secret/data/prod/db", "secret/data/prod/db"),
        // The longest glob prefix.
        ([("secret/*", VaultCapabilities.read), ("secret/data/prod/*", .deny)], "secret/data/prod/db", "secret/data/prod/*"),
        // `+` matches one segment; a later first wildcard wins over an earlier one.
        ([("secret/+/prod/db", VaultCapabilities.read), ("secret/data/+/db", .update)], "secret/data/prod/db", "secret/data/+/db"),
        // At the same first wildcard, a pattern without a trailing * wins.
        ([("secret/data/+/db", VaultCapabilities.read), ("secret/data/+/d*", .update)], "secret/data/prod/db", "secret/data/+/db"),
        // Fewer + segments win.
        ([("secret/+/+/db", VaultCapabilities.read), ("secret/+/prod/db", .update)], "secret/data/prod/db", "secret/+/prod/db"),
        // Then the longer pattern (foo/+/bar/ba* over foo/+/bar/b*).
        ([("secret/+/prod/d*", VaultCapabilities.read), ("secret/+/prod/db*", .update)], "secret/data/prod/db2", "secret/+/prod/db*"),
        // A glob prefix whose * comes later beats a + pattern.
        ([("secret/+/prod/db", VaultCapabilities.read), ("secret/data/pr*", .update)], "secret/data/prod/db", "secret/data/pr*"),
        // foo/+ over foo/* (same position, not a prefix).
        ([("secret/*", VaultCapabilities.read), ("secret/+", .update)], "secret/db", "secret/+"),
    ] as [([(String, VaultCapabilities)], String, String)])
    func mostSpecificWins(rules: [(String, VaultCapabilities)], path: String, winner: String) {
        #expect(Self.acl(rules).decide(path).entry?.pattern == winner)
    }

    /// Paths are bytes to Vault: canonically equivalent spellings are different paths, and a
    /// `*` or `/` is one whatever follows it (a combining mark makes no other Character of it).
    @Test func pathsAreBytes() {
        let nfc = "secret/data/caf\u{E9}", nfd = "secret/data/cafe\u{301}"
        let acl = Self.acl([(nfc, .read), ("secret/data/\u{600}*", .update)])
        #expect(acl.decide(nfc).allows(.read))
        #expect(acl.decide(nfd).entry == nil)
        // "\u{600}*" is one Character (a prepended mark), yet its last byte makes it a glob.
        #expect(acl.decide("secret/data/\u{600}x").entry?.pattern == "secret/data/\u{600}*")
        #expect(acl.decide("//\(nfc)").allows(.read))
    }

    /// Paths no pattern matches get nothing: a glob that does not match is no grant.
    @Test(arguments: [
        ("secret/data/prod/*", "secret/data/production/db"),
        ("secret/data/prod/*", "secret/data/prod"),
        ("secret/+/db", "secret/data/prod/db"),
        ("secret/data/prod/db", "secret/data/prod/db/x"),
    ])
    func nearMissesGrantNothing(pattern: String, path: String) {
        let d = Self.acl([(pattern, .read)]).decide(path)
        #expect(d.entry == nil)
        #expect(!d.allows(.read))
    }

    @Test func globSuffixMatchesWithinTheSegment() {
        // A trailing * is a prefix of the path, not a segment wildcard.
        #expect(Self.acl([("secret/data/prod*", .read)]).decide("secret/data/production/db").allows(.read))
    }

    @Test func denyOnASubpathWins() {
        let acl = Self.acl([("secret/data/prod/*", [.read, .list]), ("secret/data/prod/admin/*", .deny)])
        #expect(acl.decide("secret/data/prod/db").allows(.read))
        #expect(!acl.decide("secret/data/prod/admin/root").allows(.read))
    }

    @Test func samePatternInTwoPoliciesUnitesAndDenyOverrides() {
        let united = VaultACL([
            ("a", [VaultPathRule(path: "secret/*", capabilities: .read)]),
            ("b", [VaultPathRule(path: "secret/*", capabilities: .update)]),
        ])
        #expect(united.decide("secret/x").capabilities == [.read, .update])
        #expect(united.decide("secret/x").entry?.grants.map(\.policy) == ["a", "b"])
        let denied = VaultACL([
            ("a", [VaultPathRule(path: "secret/*", capabilities: .read)]),
            ("b", [VaultPathRule(path: "secret/*", capabilities: .deny)]),
        ])
        #expect(denied.decide("secret/x").capabilities == .deny)
    }

    @Test func listFallsBackWithoutTheTrailingSlash() {
        let acl = Self.acl([("secret/metadata/prod", .list)])
        #expect(acl.decide("secret/metadata/prod/", list: true).allows(.list))
        #expect(!acl.decide("secret/metadata/prod/").allows(.list))
    }

    @Test func legacyPolicyWords() {
        #expect(VaultCapabilities.legacy("read") == [.read, .list])
        #expect(VaultCapabilities.legacy("write") == [.create, .read, .update, .delete, .list])
        #expect(VaultCapabilities.legacy("sudo")?.contains(.sudo) == true)
        #expect(VaultCapabilities.legacy("admin") == nil)
    }

    @Test(arguments: [
        ("*", "anything", true), ("app-*", "app-web", true), ("app-*", "web-app", false), ("*-sa", "ci-sa", true),
        ("a*b*c", "aXbYc", true), ("a*a", "a", false), ("web", "web", true), ("web", "webx", false),
    ])
    func boundGlobs(pattern: String, subject: String, matches: Bool) {
        #expect(VaultGlob.matches(pattern, subject) == matches)
    }

    @Test func roleBindingNamesNamespacesAndSelector() {
        let role = VaultRole(
            mount: "kubernetes", name: "app", boundNames: ["app"], boundNamespaces: ["prod"],
            namespaceSelector: LabelSelector(matchLabels: [(key: "team", value: "web")]), policies: ["app"])
        let sa = { (ns: String, name: String) in ServiceAccountName(namespace: ns, name: name) }
        #expect(role.admits(sa("prod", "app"), namespaceLabels: nil) == .yes)
        // Another namespace: only the selector could admit it.
        #expect(role.admits(sa("dev", "app"), namespaceLabels: ["team": "data"]) == .no)
        #expect(role.admits(sa("dev", "app"), namespaceLabels: ["team": "web"]) == .yes)
        #expect(role.admits(sa("dev", "app"), namespaceLabels: nil) == .unknown)
        // The name must match whatever the namespace.
        #expect(role.admits(sa("prod", "other"), namespaceLabels: nil) == .no)
        #expect(role.tokenPolicies == ["app", "default"])
    }

    static let accessor = "auth_kubernetes_1a2b"

    static func inventory(_ policy: String, accessors: [String: String] = [accessor: "kubernetes"]) -> VaultInventory {
        let role = VaultRole(mount: "kubernetes", name: "tenant", boundNames: ["*"], boundNamespaces: ["*"], policies: ["tenant"], noDefaultPolicy: true)
        let rule = VaultPathRule(path: policy, capabilities: .read)
        return VaultInventory(roles: [role], policies: [VaultPolicy(name: "tenant", rules: [rule])], accessors: accessors)
    }

    @Test func templatesResolvePerServiceAccount() {
        let inv = Self.inventory("secret/data/{{identity.entity.aliases.\(Self.accessor).metadata.service_account_namespace}}/*")
        let prod = inv.logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)
        #expect(prod.count == 1)
        #expect(prod[0].access("secret/data/prod/db").allows(.read) == .yes)
        #expect(prod[0].access("secret/data/dev/db").allows(.read) == .no)
        #expect(prod[0].unresolved.isEmpty)
    }

    @Test func templatesWithoutTheAccessorAreReportedNotDropped() {
        let inv = Self.inventory("secret/data/{{identity.entity.aliases.\(Self.accessor).metadata.service_account_namespace}}/*", accessors: [:])
        let login = inv.logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)[0]
        #expect(login.unresolved.count == 1)
        #expect(login.unresolved[0].reason.contains("sys/auth.json"))
        // It may match: unknown, not no.
        #expect(login.access("secret/data/prod/db").allows(.read) == .unknown)
        // It cannot match another mount's path at all.
        #expect(login.access("kv/data/prod/db").allows(.read) == .no)
    }

    @Test func entityTemplatesAreUnresolved() {
        let inv = Self.inventory("secret/data/{{identity.entity.name}}/*")
        let login = inv.logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)[0]
        #expect(login.unresolved.first?.reason.contains("not in the input") == true)
    }

    @Test func missingPoliciesMakeAnswersUnknown() {
        let role = VaultRole(mount: "kubernetes", name: "r", boundNames: ["web"], boundNamespaces: ["prod"], policies: ["absent"])
        let login = VaultInventory(roles: [role]).logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)[0]
        #expect(login.missingPolicies == ["absent", "default"])
        #expect(login.access("secret/data/x").allows(.read) == .unknown)
    }
}

extension VaultACLTests {
    /// A `default` policy missing from the folder is Vault's shipped one: it matters only for
    /// the paths it grants (its token, cubbyhole, sys, identity), never for a secret engine.
    @Test func aMissingDefaultPolicyMattersOnlyWhereTheShippedOneGrants() {
        let role = VaultRole(mount: "kubernetes", name: "r", boundNames: ["web"], boundNamespaces: ["prod"], policies: ["web"])
        let web = VaultPolicy(name: "web", rules: [VaultPathRule(path: "secret/data/prod/*", capabilities: .read)])
        let login = VaultInventory(roles: [role], policies: [web]).logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)[0]
        #expect(login.missingPolicies == ["default"])
        #expect(login.access("secret/data/dev/db").allows(.read) == .no)
        #expect(login.access("cubbyhole/notes").allows(.read) == .unknown)
    }
}

extension VaultACLTests {
    /// The shipped `default` policy's paths (hashicorp/vault `vault/policy_store.go`): a
    /// missing `default` makes these unknown and leaves every other path of `sys/`,
    /// `identity/` and `auth/token/` a plain no (it grants no policy, mount or token admin).
    @Test(arguments: [
        ("auth/token/lookup-self", true), ("auth/token/renew-self", true), ("auth/token/create", false),
        ("auth/token/lookup", false), ("sys/capabilities-self", true), ("sys/policy/web", false),
        ("sys/policies/acl/web", false), ("sys/mounts", false), ("sys/leases/renew", true),
        ("sys/leases/revoke", false), ("sys/wrapping/unwrap", true), ("sys/tools/hash/sha2-256", true),
        ("sys/tools/random/32", true), ("sys/internal/ui/resultant-acl", true), ("sys/control-group/request", true),
        ("cubbyhole/notes", true), ("identity/entity/id/1234", true), ("identity/entity/name/web", true),
        ("identity/entity/id", false), ("identity/group/id/1", false), ("identity/oidc/provider/p/authorize", true),
        ("identity/oidc/provider/p/token", false), ("secret/data/prod/db", false),
    ])
    func shippedDefaultPolicyPaths(path: String, mayGrant: Bool) {
        #expect(VaultInventory.shippedDefaultMayGrant(path) == mayGrant)
        let role = VaultRole(mount: "kubernetes", name: "r", boundNames: ["web"], boundNamespaces: ["prod"], policies: [])
        let login = VaultInventory(roles: [role]).logins(for: ServiceAccountName(namespace: "prod", name: "web"), namespaceLabels: nil)[0]
        #expect(login.access(path).allows(.update) == (mayGrant ? .unknown : .no))
    }
}
