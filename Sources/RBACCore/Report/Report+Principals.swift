// The report's principals: who is named by a binding or seen in audit logs, and what each holds.

extension Report {
    /// The report's principals, worst finding first, then by name. Each ``Principal`` is built
    /// when it is read: what it holds (its permissions, compacted, and the bindings they come
    /// through) is computed from the graph then and kept by no one but the reader, so a writer
    /// going through a large report holds one principal's permissions at a time.
    public struct Principals: RandomAccessCollection, Sendable {
        /// A principal as the report keeps it: everything but what it holds.
        struct Entry: Sendable {
            var name: String
            var identity: Identity
            /// The bindings (and roles) it holds permissions through, in the order of its rules.
            var grantHandles: [BindingAndRole]
            var worst: Severity?
            var findingCount: Int
            var usage: LeastPrivilege.Usage?
        }

        let graph: AccessGraph
        let entries: [Entry]

        public var startIndex: Int { entries.startIndex }
        public var endIndex: Int { entries.endIndex }

        /// The principal at `position`, with what it holds computed now.
        public subscript(position: Int) -> Principal {
            let entry = entries[position]
            return Principal(
                name: entry.name, permissions: Report.permissions(of: entry.identity, in: graph),
                grants: entry.grantHandles.map { (graph.bindings[$0.binding].displayName, graph.roles[$0.role].displayName) },
                grantHandles: entry.grantHandles, worst: entry.worst, findingCount: entry.findingCount, usage: entry.usage)
        }
    }

    /// Every principal named by a binding, plus those seen in audit logs.
    public static func principals(graph: AccessGraph, findings: [Finding], usages: [LeastPrivilege.Usage], namespace: String?) -> Principals {
        var order: [(name: String, identity: Identity)] = []
        var seen = Set<String>()
        for b in graph.bindings {
            for s in b.subjects {
                // The identity as the API server sees it: its groups' grants are its own.
                guard let node = s.effective(bindingNamespace: b.namespace ?? "").flatMap(PathNode.init(subject:)),
                    let identity = node.identity
                else { continue }
                let name = node.description
                if let ns = namespace, !(name.hasPrefix("sa:\(ns)/") || b.namespace == ns) { continue }
                if seen.insert(name).inserted { order.append((name, identity)) }
            }
        }
        let usageByName = Dictionary(usages.map { ($0.principal, $0) }, uniquingKeysWith: { a, _ in a })
        for u in usages where seen.insert(u.principal).inserted {
            order.append((u.principal, u.identity))
        }
        // Each principal's worst finding and count, in one pass over the findings.
        var tally: [String: (worst: Severity, count: Int)] = [:]
        for f in findings {
            guard let p = f.principal else { continue }
            let t = tally[p]
            tally[p] = (max(t?.worst ?? f.severity, f.severity), (t?.count ?? 0) + 1)
        }
        var out: [Principals.Entry] = []
        for (name, identity) in order {
            var handles: [BindingAndRole] = []
            for (_, rules) in rulesByScope(of: identity, in: graph) {
                for rg in rules {
                    let h = BindingAndRole(binding: rg.grant.binding, role: rg.grant.role)
                    if !handles.contains(h) { handles.append(h) }
                }
            }
            let mine = tally[name]
            out.append(Principals.Entry(
                name: name, identity: identity, grantHandles: handles, worst: mine?.worst, findingCount: mine?.count ?? 0,
                usage: usageByName[name]))
        }
        let sorted = out.sorted { a, b in
            let sa = a.worst?.rawValue ?? -1, sb = b.worst?.rawValue ?? -1
            return sa != sb ? sa > sb : a.name < b.name
        }
        return Principals(graph: graph, entries: sorted)
    }

    /// What `identity` can do, compacted: one line per scope and resource, the
    /// ClusterRoleBindings' cluster-wide lines first, then each namespace's RoleBindings'.
    static func permissions(of identity: Identity, in graph: AccessGraph) -> [PermissionLine] {
        var permissions: [PermissionLine] = []
        for (scope, rules) in rulesByScope(of: identity, in: graph) {
            permissions += CompactPermission.compact(rules).map {
                PermissionLine(
                    scope: scope.description, resource: $0.resource, verbs: $0.verbs, resourceNames: $0.resourceNames,
                    isNonResourceURL: $0.isNonResourceURL)
            }
        }
        return permissions
    }

    /// The rules `identity` holds by where they hold: the ClusterRoleBindings' cluster-wide,
    /// then each namespace's RoleBindings', in the authorizer's order.
    private static func rulesByScope(of identity: Identity, in graph: AccessGraph) -> [(scope: Scope, rules: [RuleGrant])] {
        var scopes: [(scope: Scope, rules: [RuleGrant])] = []
        graph.visitRules(for: identity, .everywhere) { visit in
            guard case .rule(let rg) = visit else { return true }
            let scope = graph.bindings[rg.grant.binding].scope
            if scopes.last?.scope != scope { scopes.append((scope, [])) }
            scopes[scopes.count - 1].rules.append(rg)
            return true
        }
        return scopes
    }
}
