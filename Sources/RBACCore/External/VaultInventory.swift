/// What the input says about Vault: Kubernetes auth roles and ACL policies (loaded from
/// folders that mirror Vault's paths, `--vault DIR`), and the auth mounts' accessors when
/// known (`sys/auth.json`, what `vault auth list -format=json` prints).
public struct VaultInventory: Sendable, Hashable {
    public var roles: [VaultRole] = []
    public var policies: [VaultPolicy] = []
    /// Auth mount accessor (`auth_kubernetes_1a2b3c4d`) to mount path (`kubernetes`).
    public var accessors: [String: String] = [:]

    public init(roles: [VaultRole] = [], policies: [VaultPolicy] = [], accessors: [String: String] = [:]) {
        self.roles = roles
        self.policies = policies
        self.accessors = accessors
    }

    public var isEmpty: Bool { roles.isEmpty && policies.isEmpty }

    public mutating func append(contentsOf other: VaultInventory) {
        roles += other.roles
        policies += other.policies
        accessors.merge(other.accessors) { a, _ in a }
    }

    /// The paths Vault's shipped `default` policy writes, as policy paths: a `default` policy
    /// not in the input is assumed unmodified, and so unknown only for paths these match.
    ///
    /// Checked against the `defaultPolicy` text of hashicorp/vault `vault/policy_store.go`
    /// and what `vault policy read default` prints on recent releases; the union over
    /// versions (older ones have `sys/tools/random`, newer ones the entity, control-group
    /// and OIDC paths). Its two templated paths (`identity/entity/id/{{identity.entity.id}}`,
    /// `identity/entity/name/{{identity.entity.name}}`) name the token's own entity, which
    /// the input does not know: written here as one `+` segment.
    public static let shippedDefaultPaths: [String] = [
        "auth/token/lookup-self", "auth/token/renew-self", "auth/token/revoke-self",
        "sys/capabilities-self",
        "identity/entity/id/+", "identity/entity/name/+",
        "sys/internal/ui/resultant-acl",
        "sys/renew", "sys/leases/renew", "sys/leases/lookup",
        "cubbyhole/*",
        "sys/wrapping/wrap", "sys/wrapping/lookup", "sys/wrapping/unwrap",
        "sys/tools/hash", "sys/tools/hash/*", "sys/tools/random", "sys/tools/random/*",
        "sys/control-group/request",
        "identity/oidc/provider/+/authorize",
    ]

    /// ``shippedDefaultPaths`` as an ACL (every capability: only whether a path matches counts).
    static let shippedDefault = VaultACL([("default", shippedDefaultPaths.map {
        VaultPathRule(path: $0, capabilities: [.create, .read, .update, .patch, .delete, .list])
    })])

    /// Whether Vault's shipped `default` policy may grant anything on `path`.
    public static func shippedDefaultMayGrant(_ path: String, list: Bool = false) -> Bool {
        shippedDefault.decide(path, list: list).entry != nil
    }

    /// The policy called `name` (the last loaded wins, as a later write does in Vault).
    public func policy(named name: String) -> VaultPolicy? {
        policies.last { $0.name.isExactly(name) }
    }

    /// The role `name` of auth mount `mount`.
    public func role(mount: String, name: String) -> VaultRole? {
        roles.last { $0.mount.isExactly(mount) && $0.name.isExactly(name) }
    }
}

/// A service account's login with a Vault role: the token's policies and the ACL they make.
public struct VaultLogin: Sendable {
    /// A rule Vault would resolve per login from identity data the input does not hold.
    public struct Unresolved: Sendable, Hashable {
        public var policy: String
        public var rule: VaultPathRule
        public var reason: String
    }

    public var serviceAccount: ServiceAccountName
    public var role: VaultRole
    /// `.yes`, or `.unknown` when only the namespace selector admits it and the input has
    /// no labels for the namespace.
    public var admitted: VaultMatch
    /// The token's policies (with `default` unless the role says otherwise).
    public var policies: [String]
    /// Policies the token holds that the input does not define: their paths are unknown.
    public var missingPolicies: [String]
    /// Templated rules that could not be resolved for this service account.
    public var unresolved: [Unresolved]
    /// The rules of every known policy, templates resolved.
    public var acl: VaultACL

    /// What this login may do on `path`.
    public func access(_ path: String, list: Bool = false) -> VaultAccess {
        let decision = acl.decide(path, list: list)
        let maybe = unresolved.filter { VaultTemplate.mayMatch(rulePath: $0.rule.path, path: path) }
        // Vault's shipped `default` policy, when the folder lacks it, is taken as unmodified:
        // it grants paths under these prefixes only, so it matters for no other path.
        let missing = missingPolicies.filter { name in
            !name.isExactly("default") || VaultInventory.shippedDefaultMayGrant(path, list: list)
        }
        return VaultAccess(login: self, decision: decision, unresolved: maybe, missingPolicies: missing)
    }
}

/// A login's answer for one Vault path: what the ACL decides, and what the input cannot tell.
public struct VaultAccess: Sendable {
    public var login: VaultLogin
    public var decision: VaultACL.Decision
    /// Unresolved templated rules that might match the path.
    public var unresolved: [VaultLogin.Unresolved]
    public var missingPolicies: [String]

    /// `.yes` when the ACL allows every capability of `capability`; `.unknown` when it does
    /// not, but an unresolved template or an unknown policy might, or the login itself is
    /// uncertain; `.no` otherwise.
    public func allows(_ capability: VaultCapabilities) -> VaultMatch {
        if decision.allows(capability) { return login.admitted == .yes ? .yes : .unknown }
        if decision.entry?.capabilities.contains(.deny) == true, decision.entry.map({ !$0.pattern.contains("{{") }) ?? false,
            unresolved.isEmpty
        {
            return .no
        }
        if !unresolved.isEmpty || !missingPolicies.isEmpty { return .unknown }
        return .no
    }
}

extension VaultInventory {
    /// Every login `sa` can make: each role of the input that admits it, with its token's ACL.
    /// - Parameter namespaceLabels: the labels of the service account's namespace, `nil`
    ///   when the input has no such Namespace.
    public func logins(for sa: ServiceAccountName, namespaceLabels: [String: String]?) -> [VaultLogin] {
        roles.compactMap { role in
            let admitted = role.admits(sa, namespaceLabels: namespaceLabels)
            guard admitted != .no else { return nil }
            return login(sa, with: role, admitted: admitted)
        }
    }

    /// The login of `sa` with `role`, whether or not the role admits it (a store names its
    /// role; whether the role admits its service account is a separate question).
    public func login(_ sa: ServiceAccountName, with role: VaultRole, admitted: VaultMatch) -> VaultLogin {
        var missing: [String] = []
        var unresolved: [VaultLogin.Unresolved] = []
        var resolved: [(name: String, rules: [VaultPathRule])] = []
        let accessor = accessors.first { $0.value.isExactly(role.mount) }?.key
        let identity = VaultTemplate.Identity(serviceAccount: sa, role: role, accessor: accessor)
        for name in role.tokenPolicies {
            if name.isExactly("root") {
                resolved.append((name, []))
                continue
            }
            guard let policy = policy(named: name) else {
                missing.append(name)
                continue
            }
            var rules: [VaultPathRule] = []
            for rule in policy.rules {
                guard rule.isTemplated else {
                    rules.append(rule)
                    continue
                }
                switch VaultTemplate.resolve(rule.path, for: identity) {
                case .success(let path):
                    var r = rule
                    r.path = path
                    rules.append(r)
                case .failure(let problem):
                    unresolved.append(VaultLogin.Unresolved(policy: name, rule: rule, reason: problem.message))
                }
            }
            resolved.append((name, rules))
        }
        return VaultLogin(
            serviceAccount: sa, role: role, admitted: admitted, policies: role.tokenPolicies, missingPolicies: missing,
            unresolved: unresolved, acl: VaultACL(resolved))
    }
}
