/// What audit logs show a principal used, what it holds but never used, and the minimal
/// policy that allows exactly what it used — the job of audit2rbac, done on the access graph.
public struct LeastPrivilege: Sendable {
    /// One principal's usage.
    public struct Usage: Sendable {
        /// `user:NAME` or `sa:NS/NAME`.
        public var principal: String
        public var identity: Identity
        /// The distinct requests observed, with how many times each.
        public var observed: [(request: Request, count: Int)]
        /// Rules of its roles that allowed at least one observed request.
        public var usedRules: [RuleGrant]
        /// Rules it holds that allowed none: candidates for removal.
        public var unusedRules: [RuleGrant]
        /// Observed requests that the loaded policy does not allow (the logs come from
        /// another policy, or a group the manifests do not show).
        public var notAllowedNow: [Request]
        /// The minimal roles and bindings that allow exactly the observed requests.
        public var suggestion: MinimalPolicy
    }

    public var usages: [Usage]

    /// Analyses the events of every principal.
    /// - Complexity: O(e + p · r · q) for e events, p principals, r rules and q distinct requests each.
    public init(graph: AccessGraph, events: [AuditEvent]) {
        // Group the events by identity name (groups as the log gives them: the real ones).
        var order: [String] = []
        var byUser: [String: (identity: Identity, requests: [Request: Int])] = [:]
        func record(_ identity: Identity, _ request: Request) {
            if byUser[identity.name] == nil { order.append(identity.name) }
            byUser[identity.name, default: (identity, [:])].requests[request, default: 0] += 1
        }
        for e in events {
            record(e.identity, e.request)
            if let by = e.impersonator {
                // The impersonator used `impersonate` on the identity it became.
                let target: Request
                if let sa = e.identity.serviceAccount {
                    target = .resource(ResourceRequest(verb: "impersonate", resource: "serviceaccounts", namespace: sa.namespace, name: sa.name))
                } else {
                    target = .resource(ResourceRequest(verb: "impersonate", resource: "users", name: e.identity.name))
                }
                record(by, target)
            }
        }
        usages = order.compactMap { name in
            byUser[name].map { Self.usage(graph: graph, identity: $0.identity, requests: $0.requests) }
        }
    }

    static func usage(graph: AccessGraph, identity: Identity, requests: [Request: Int]) -> Usage {
        let observed = requests.sorted { ($0.key.namespace, $0.key.description) < ($1.key.namespace, $1.key.description) }
            .map { (request: $0.key, count: $0.value) }
        // Every rule the identity holds, in every scope it has rules in.
        var held: [RuleGrant] = []
        graph.visitRules(for: identity, .everywhere) { visit in
            if case .rule(let rg) = visit { held.append(rg) }
            return true
        }
        var used: [RuleGrant] = []
        var unused: [RuleGrant] = []
        for rg in held {
            let binding = graph.bindings[rg.grant.binding]
            let allowsOne = observed.contains { o in
                // A RoleBinding's rules count only in its namespace.
                if binding.kind == .roleBinding && !o.request.namespace.isExactly(binding.namespace ?? "") { return false }
                return rg.rule.allows(o.request)
            }
            // A built-in grant that went unused is not the input's to remove.
            if allowsOne { used.append(rg) } else if !graph.isBuiltInOnly(rg.grant) { unused.append(rg) }
        }
        let notAllowed = observed.map(\.request).filter { !graph.authorize(identity, $0).allowed }
        var suggestion = MinimalPolicy(for: identity, principal: identity.principalNotation, requests: observed.map(\.request))
        // What the suggestion would add: the identity as the log saw it (with its groups) today.
        suggestion.notHeldToday = suggestion.permissions.filter { !graph.authorize(identity, $0).allowed }
        return Usage(
            principal: identity.principalNotation, identity: identity, observed: observed, usedRules: used, unusedRules: unused,
            notAllowedNow: notAllowed, suggestion: suggestion)
    }
}

/// Roles and bindings that allow exactly a set of requests: a Role per namespace for
/// namespaced requests, a ClusterRole for cluster-scoped ones and non-resource URLs.
public struct MinimalPolicy: Sendable {
    public var roles: [Role]
    public var bindings: [Binding]
    /// Whether evaluating the policy allows every request it was built from (checked, not
    /// assumed).
    public var verified: Bool
    /// The requests it was made from.
    public var requests: [Request]
    /// The permissions of the policy (see ``permissions``) that the principal does not hold
    /// today: applying the policy instead of what it holds would widen its access by these.
    /// A verb used on two named objects becomes a rule without names (every object of that
    /// resource); a log from another policy shows requests the loaded input does not allow.
    /// Filled in by ``LeastPrivilege`` (which knows the loaded policy); empty otherwise.
    public var notHeldToday: [Request] = []

    /// Builds the policy and checks it.
    public init(for identity: Identity, principal: String, requests: [Request]) {
        self.requests = requests
        let base = Self.baseName(principal)
        var roles: [Role] = []
        var bindings: [Binding] = []
        let subject: Subject
        if let sa = identity.serviceAccount {
            subject = .serviceAccount(sa.namespace, sa.name)
        } else {
            subject = .user(identity.name)
        }
        // Scope: "" for cluster-scoped requests and URLs, else the namespace.
        var scopes: [String: [Request]] = [:]
        for r in requests { scopes[r.namespace, default: []].append(r) }
        for (ns, requests) in scopes.sorted(by: { $0.key < $1.key }) {
            let rules = Self.rules(for: requests)
            if ns.isEmpty {
                roles.append(Role(kind: .clusterRole, name: base, rules: rules))
                bindings.append(Binding(
                    kind: .clusterRoleBinding, name: base, roleRef: RoleRef(kind: "ClusterRole", name: base), subjects: [subject]))
            } else {
                roles.append(Role(kind: .role, name: base, namespace: ns, rules: rules))
                bindings.append(Binding(
                    kind: .roleBinding, name: base, namespace: ns, roleRef: RoleRef(kind: "Role", name: base), subjects: [subject]))
            }
        }
        self.roles = roles
        self.bindings = bindings
        let check = AccessGraph(Cluster(roles: roles, bindings: bindings))
        // The identity without the groups it was seen with: the suggestion alone must suffice.
        let bare = identity.serviceAccount.map { Identity.serviceAccount(namespace: $0.namespace, name: $0.name) }
            ?? Identity(name: identity.name)
        self.verified = requests.allSatisfy { check.authorize(bare, $0).allowed }
    }

    /// The sentence that introduces ``notHeldToday``: "this minimal policy grants 2
    /// permission(s) sa:ci/builder does not hold today; applying it widens its access".
    public func widening(of principal: String) -> String {
        "this minimal policy grants \(notHeldToday.count) permission(s) \(principal) does not hold today; applying it widens its access"
    }

    /// Every permission the policy grants, as the request that needs exactly it: one per
    /// verb, API group, resource and name in the scope of its role; a request without a name
    /// for a rule without `resourceNames` (allowed only by rules that name no object, so it
    /// stands for every object of the resource). Non-resource URLs: one per verb and path.
    public var permissions: [Request] {
        var out: [Request] = []
        for role in roles {
            for rule in role.rules {
                if !rule.nonResourceURLs.isEmpty {
                    for verb in rule.verbs { for path in rule.nonResourceURLs { out.append(.nonResource(verb: verb, path: path)) } }
                    continue
                }
                for group in rule.apiGroups {
                    for combined in rule.resources {
                        let slash = combined.firstIndex(of: "/")
                        let resource = String(combined[..<(slash ?? combined.endIndex)])
                        let subresource = slash.map { String(combined[combined.index(after: $0)...]) } ?? ""
                        for verb in rule.verbs {
                            for name in rule.resourceNames.isEmpty ? [""] : rule.resourceNames {
                                out.append(.resource(ResourceRequest(
                                    verb: verb, apiGroup: group, resource: resource, subresource: subresource,
                                    namespace: role.namespace ?? "", name: name)))
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `NAME-minimal`, from `sa:ns/name` or `user:name` (made a valid object name).
    static func baseName(_ principal: String) -> String {
        let raw = principal.split(separator: ":", maxSplits: 1).last.map { String($0.split(separator: "/").last ?? $0[...]) } ?? principal
        let cleaned = String(raw.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
        return (cleaned.isEmpty ? "principal" : cleaned) + "-minimal"
    }

    /// The rules for one scope: per API group and resource, the verbs used; resourceNames
    /// where every use of a verb named the same single object.
    static func rules(for requests: [Request]) -> [PolicyRule] {
        struct Key: Hashable, Comparable {
            var group: String
            var resource: String
            static func < (a: Key, b: Key) -> Bool { (a.group, a.resource) < (b.group, b.resource) }
        }
        var verbNames: [Key: [String: Set<String>]] = [:]  // verb → names used ("" = none)
        var urls: [String: Set<String>] = [:]  // verb → paths
        for r in requests {
            switch r {
            case .resource(let rr):
                verbNames[Key(group: rr.apiGroup, resource: rr.combinedResource), default: [:]][rr.verb, default: []].insert(rr.name)
            case .nonResource(let verb, let path):
                urls[verb, default: []].insert(path)
            }
        }
        var out: [PolicyRule] = []
        for (key, namesByVerb) in verbNames.sorted(by: { $0.key < $1.key }) {
            var unnamed: [String] = []
            var byName: [String: [String]] = [:]
            for (verb, names) in namesByVerb.sorted(by: { $0.key < $1.key }) {
                if names.count == 1, let only = names.first, !only.isEmpty {
                    byName[only, default: []].append(verb)
                } else {
                    unnamed.append(verb)
                }
            }
            if !unnamed.isEmpty {
                out.append(PolicyRule(verbs: unnamed, apiGroups: [key.group], resources: [key.resource]))
            }
            for (name, verbs) in byName.sorted(by: { $0.key < $1.key }) {
                out.append(PolicyRule(verbs: verbs, apiGroups: [key.group], resources: [key.resource], resourceNames: [name]))
            }
        }
        // Non-resource URLs: one rule per set of verbs.
        var byPaths: [[String]: [String]] = [:]
        for (verb, paths) in urls { byPaths[paths.sorted(), default: []].append(verb) }
        for (paths, verbs) in byPaths.sorted(by: { $0.key.joined() < $1.key.joined() }) {
            out.append(PolicyRule(verbs: verbs.sorted(), nonResourceURLs: paths))
        }
        return out
    }
}
