extension FindingRule {
    /// A rule another rule of the same principal already covers (Kubernetes' `Covers`).
    public static let redundantRule = FindingRule(
        id: "redundant-rule", category: .brokenPolicy, severity: .info,
        title: "Rule covered by another rule of the same principal",
        rationale: "Rules are additive: a rule fully covered by another that the same subject holds in the same scope changes nothing. It misleads reviewers about what removing either would do.",
        remediation: "Remove the covered rule, or narrow the covering one if it grants more than intended.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pods, namespace: dev}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: ["*"]}
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pods, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
            subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // resourceNames narrow a rule; the other rule is not covered by it.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pods, namespace: dev}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: ["*"], resourceNames: [web]}
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pods, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
            subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var out: [Finding] = []
            struct RuleKey: Hashable { var role: RoleID; var rule: Int }
            var reported = Set<RuleKey>()
            // Per subject and scope: its ClusterRoleBinding rules, plus a namespace's RoleBinding rules.
            var subjects: [(Subject, String)] = []
            var seenSubjects = Set<String>()
            for b in g.bindings {
                for s in b.subjects {
                    guard let e = s.effective(bindingNamespace: b.namespace ?? ""), let p = ctx.principal(s, in: b) else { continue }
                    if seenSubjects.insert(p).inserted { subjects.append((e, p)) }
                }
            }
            for (subject, principal) in subjects {
                let identity: Identity
                switch subject.knownKind {
                case .user: identity = Identity(name: subject.name)
                case .group: identity = Identity(name: "", groups: [subject.name])
                case .serviceAccount, nil: identity = Identity(name: ServiceAccountName(namespace: subject.namespace, name: subject.name).userName)
                }
                // Owner rules by resource string (a covering rule must name the resource, `*`
                // or `*/sub`), and the URL rules apart. The ClusterRoleBindings' rules come
                // first in every scope: they are indexed once, not again for each namespace.
                struct Owners {
                    var byResource: [String: [Int]] = [:]
                    var urlRules: [Int] = []
                    init(_ grants: [RuleGrant], from offset: Int) {
                        for (m, o) in grants.enumerated() {
                            for r in Set(o.rule.resources) { byResource[r, default: []].append(offset + m) }
                            if !o.rule.nonResourceURLs.isEmpty { urlRules.append(offset + m) }
                        }
                    }
                }
                let clusterGrants = g.rules(for: identity, in: "").rules
                let clusterOwners = Owners(clusterGrants, from: 0)
                for ns in [""] + g.roleBindingNamespaces(for: identity) {
                    // The rules a request in `ns` meets: the cluster ones, then the namespace's
                    // RoleBindings' (indices after the cluster ones), as rules(for:in:) lists them.
                    var nsGrants: [RuleGrant] = []
                    if !ns.isEmpty {
                        g.visitRules(for: identity, .roleBindings(namespace: ns)) { visit in
                            if case .rule(let rg) = visit { nsGrants.append(rg) }
                            return true
                        }
                    }
                    let nsOwners = Owners(nsGrants, from: clusterGrants.count)
                    func grant(_ m: Int) -> RuleGrant { m < clusterGrants.count ? clusterGrants[m] : nsGrants[m - clusterGrants.count] }
                    func owners(_ resource: some StringProtocol) -> [Int] {
                        let r = String(resource)
                        return (clusterOwners.byResource[r] ?? []) + (nsOwners.byResource[r] ?? [])
                    }
                    // In a namespace, only its RoleBindings' rules are new.
                    let checked = ns.isEmpty ? 0..<clusterGrants.count : clusterGrants.count..<clusterGrants.count + nsGrants.count
                    for k in checked {
                        let rg = grant(k)
                        let key = RuleKey(role: rg.grant.role, rule: rg.grant.ruleIndex)
                        guard !reported.contains(key) else { continue }
                        let rule = rg.rule
                        // A rule without atoms is covered vacuously: not worth a finding.
                        guard !rule.verbs.isEmpty, !(rule.nonResourceURLs.isEmpty && (rule.apiGroups.isEmpty || rule.resources.isEmpty))
                        else { continue }
                        var candidates: [Int]
                        if let first = rule.resources.first {
                            candidates = owners("*") + owners(first)
                            if let slash = first.firstIndex(of: "/") { candidates += owners("*" + first[slash...]) }
                        } else {
                            candidates = clusterOwners.urlRules + nsOwners.urlRules
                        }
                        // One owner rule covers every atom of a rule exactly when it covers the rule
                        // field by field (the atoms are a cross product), unless the rule mixes
                        // resources and URLs, whose atoms are checked apart.
                        let mixed = !rule.resources.isEmpty && !rule.nonResourceURLs.isEmpty
                        let coveredBy = candidates.first { m in
                            let other = grant(m)
                            return m != k && !(other.grant.role == rg.grant.role && other.grant.ruleIndex == rg.grant.ruleIndex)
                                && !(other.rule == rule && m > k)  // of two equal rules, flag the later
                                && (mixed ? covers([other.rule], [rule]).covered : other.rule.coversAtom(rule))
                        }
                        guard let m = coveredBy else { continue }
                        let by = grant(m)
                        reported.insert(key)
                        let role = g.roles[rg.grant.role]
                        let byRole = g.roles[by.grant.role]
                        out.append(thisRule.finding(
                            severity: .info,
                            message: "\(role.displayName) rule \(rg.grant.ruleIndex) is covered by \(byRole.displayName) rule \(by.grant.ruleIndex) for \(principal)\(ns.isEmpty ? "" : " in \(ns)")",
                            principal: principal, object: ObjectRef(role), related: [ObjectRef(byRole)],
                            evidence: [rule.compactDescription + " ⊆ " + by.rule.compactDescription]))
                    }
                }
            }
            return out
        })
}
