extension FindingRule {
    /// A rule with `*` in verbs, resources or apiGroups.
    public static let wildcardRule = FindingRule(
        id: "wildcard-rule", category: .dangerousGrant, severity: .high,
        title: "Role rule uses wildcards",
        rationale: "`*` grants everything that exists now and everything added later (new resources, CRDs, subresources such as pods/exec, verbs such as escalate and impersonate). Wildcard rules are how least privilege erodes.",
        remediation: "List the verbs, API groups and resources the holder uses (the report's minimal role shows them when an audit log is given).",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: all-pods, namespace: dev}
            rules: [{apiGroups: [""], resources: [pods], verbs: ["*"]}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: dev}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for role in ctx.graph.roles where !role.name.isExactly("cluster-admin") {
                for (j, rule) in role.rules.enumerated() {
                    var fields: [String] = []
                    if rule.verbs.containsExactly("*") { fields.append("verbs") }
                    if rule.resources.containsExactly("*") { fields.append("resources") }
                    if rule.apiGroups.containsExactly("*") { fields.append("apiGroups") }
                    guard !fields.isEmpty else { continue }
                    out.append(thisRule.finding(
                        severity: fields.count == 3 ? .high : .medium,
                        message: "\(role.displayName) rule \(j) has * in \(fields.joined(separator: ", ")): \(rule.compactDescription)",
                        object: ObjectRef(role), evidence: [rule.compactDescription]))
                }
            }
            return out
        })

    /// A rule granting broad non-resource URLs.
    public static let broadNonResourceURLs = FindingRule(
        id: "broad-nonresource-urls", category: .dangerousGrant, severity: .low,
        title: "Role grants broad non-resource URLs",
        rationale: "`*` (or `/*`) in nonResourceURLs covers every API server path that is not a resource, including debug and metrics endpoints that may expose sensitive data (`/debug/pprof`, `/metrics`).",
        remediation: "List the paths the holder needs (`/healthz`, `/version`, `/metrics`).",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: all-urls}
            rules: [{nonResourceURLs: ["*"], verbs: [get]}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: health}
            rules: [{nonResourceURLs: ["/healthz", "/version"], verbs: [get]}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for role in ctx.graph.roles where !role.name.isExactly("cluster-admin") {
                for (j, rule) in role.rules.enumerated() {
                    let broad = rule.nonResourceURLs.filter { $0 == "*" || $0 == "/*" }
                    guard !broad.isEmpty else { continue }
                    out.append(thisRule.finding(
                        severity: .low,
                        message: "\(role.displayName) rule \(j) grants \(rule.verbs.joined(separator: ",")) on every non-resource URL",
                        object: ObjectRef(role), evidence: [rule.compactDescription]))
                }
            }
            return out
        })
}
