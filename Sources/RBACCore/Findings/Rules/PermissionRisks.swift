// Permissions that are risky in themselves, short of a privilege path: what the major scanners
// (kubescape, KubiScan, rbac-police, krane) flag, matched as Kubernetes matches rules.

private let rbac = "rbac.authorization.k8s.io"

/// Every verb-resource pair of `resources` (`group/resource`) for `verbs`.
private func requests(_ verbs: [String], _ resources: [(String, String)], sub: String = "") -> [ResourceRequest] {
    verbs.flatMap { v in resources.map { ResourceRequest(verb: v, apiGroup: $0.0, resource: $0.1, subresource: sub) } }
}

extension FindingRule {
    /// `create pods/portforward` (or `get`, enough before Kubernetes 1.35).
    public static let portForward = FindingRule(
        id: "port-forward", category: .dangerousGrant, severity: .high,
        title: "Identity can port-forward into pods",
        rationale: "pods/portforward opens a tunnel from the caller to any port of any pod in the scope, past NetworkPolicies and Services: databases, admin ports and sidecars that trust local traffic become reachable. Before Kubernetes 1.35 a WebSocket upgrade needs only `get` on pods/portforward: `get` counts as much as `create` when the built-in policy in use (`--kubernetes-version`, default the newest shipped) is older than 1.35, not at all from 1.35 on, and when the version is unknown (`--no-builtin-policy`, or a live cluster) it is reported as low, conditional on the version.",
        remediation: "Grant pods/portforward to the people who debug the namespace, by group, in that namespace only; never to workloads.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: forwarder, namespace: kube-system}
            rules: [{apiGroups: [""], resources: [pods/portforward], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane-forwards, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: forwarder}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // `pods/*` is a literal resource name in Kubernetes RBAC: it matches no subresource.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: literal}
            rules: [{apiGroups: ["*"], resources: ["pods/*"], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: literal}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: literal}
            subjects: [{kind: Group, name: dev, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            // `get` counts before 1.35 (the version of the built-in policy in use); with the
            // version unknown (--no-builtin-policy, a live cluster) it is reported, low, as a
            // condition.
            let version = ctx.graph.kubernetesVersion
            let getOpens = KubernetesConventions.getOpensPodStreams(kubernetesVersion: version)
            let verbs = getOpens == false ? ["create"] : ["create", "get"]
            return ctx.grants(allowingAny: requests(verbs, [("", "pods")], sub: "portforward")).map { g in
                let create = g.request.verb == "create"
                let full: Severity = g.namespace == nil || g.namespace == "kube-system" ? .high : .medium
                let severity: Severity = create || getOpens == true ? full : .low
                return ctx.finding(thisRule, g, severity: severity) { who, scope in
                    if create { return "\(who) can port-forward into every pod \(scope)" }
                    if getOpens == true, let version {
                        return "\(who) can port-forward into every pod \(scope): get pods/portforward opens a WebSocket port-forward in Kubernetes \(version) (before 1.35)"
                    }
                    return "\(who) can get pods/portforward \(scope): a WebSocket port-forward if the cluster runs Kubernetes before 1.35 (the version is unknown)"
                }
            }
        })

    /// `delete`/`deletecollection` on events.
    public static let deleteEvents = FindingRule(
        id: "delete-events", category: .dangerousGrant, severity: .medium,
        title: "Identity can delete events",
        rationale: "Events record what happened in the cluster (pods started, images pulled, failures). Deleting them hides an intruder's tracks and an operator's evidence.",
        remediation: "Leave deleting events to the API server's own expiry (--event-ttl); grant read access to those who need it.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: event-cleaner}
            rules: [{apiGroups: [""], resources: ["*"], verbs: [delete]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: event-cleaner}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: event-reader, namespace: dev}
            rules: [{apiGroups: ["", events.k8s.io], resources: [events], verbs: [get, list, watch]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: event-reader}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            ctx.grants(allowingAny: requests(["delete", "deletecollection"], [("", "events"), ("events.k8s.io", "events")])).map { g in
                ctx.finding(thisRule, g, severity: g.namespace == nil ? .medium : .low) { who, scope in
                    "\(who) can \(g.request.verb) events \(scope)"
                }
            }
        })

    /// The resources whose deletion breaks or tampers with what runs.
    static let deleteTargets: [(String, String)] = [
        ("", "secrets"), ("", "pods"), ("", "services"), ("", "configmaps"), ("", "persistentvolumeclaims"),
        ("apps", "deployments"), ("apps", "daemonsets"), ("apps", "statefulsets"), ("apps", "replicasets"),
        ("batch", "jobs"), ("batch", "cronjobs"),
    ]

    /// Broad delete rights on workloads, secrets, services.
    public static let broadDelete = FindingRule(
        id: "broad-delete", category: .dangerousGrant, severity: .medium,
        title: "Identity can delete workloads, secrets or services",
        rationale: "Deleting Deployments, pods, Secrets or Services takes applications down, and deleting a Secret or ConfigMap that a workload reads lets whoever re-creates it decide its content.",
        remediation: "Grant delete on the objects a role manages, by resourceNames where possible, in its own namespace.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: deleter}
            rules: [{apiGroups: ["*"], resources: [secrets, deployments], verbs: [delete]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: deleter}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deleter}
            subjects: [{kind: Group, name: dev, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // Delete limited to named objects is not broad.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: cleanup, namespace: dev}
            rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [scratch], verbs: [delete]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: cleanup, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cleanup}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for g in ctx.grants(allowingAny: requests(["delete", "deletecollection"], deleteTargets)) {
                let rule = ctx.graph.roles[g.role].rules[g.ruleIndex]
                // Everything the rule may delete, of the resources above.
                let what = deleteTargets.filter { t in
                    ["delete", "deletecollection"].contains { rule.allows(ResourceRequest(verb: $0, apiGroup: t.0, resource: t.1)) }
                }.map { $0.0.isEmpty ? $0.1 : "\($0.1).\($0.0)" }
                out.append(ctx.finding(thisRule, g, severity: g.namespace == nil ? .medium : .low) { who, scope in
                    "\(who) can delete \(what.joined(separator: ", ")) \(scope)"
                })
            }
            return out
        })

    /// `bind` or `escalate` held without what makes it a path today.
    public static let heldBindEscalate = FindingRule(
        id: "held-bind-escalate", category: .dangerousGrant, severity: .medium,
        title: "Identity holds bind or escalate on roles",
        rationale: "`bind` lets its holder grant any role it names to anyone, `escalate` lets it write rules it does not hold: the API server's only guards against privilege escalation through RBAC. With one more grant (create bindings, update roles) they become a path to the roles' full power.",
        remediation: "Remove bind and escalate, or limit bind with resourceNames to the roles the holder hands out.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: binder}
            rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: binder}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: role-reader}
            rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles, roles], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: role-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-reader}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let asked = requests(["bind", "escalate"], [(rbac, "roles"), (rbac, "clusterroles")])
            return ctx.grants(allowingAny: asked).compactMap { (g: PermissionGrant) -> Finding? in
                let rule = ctx.graph.roles[g.role].rules[g.ruleIndex]
                // `*` on everything is full authority, named by its own rule.
                if rule.verbs.containsExactly("*") && rule.resources.containsExactly("*") { return nil }
                let verbs = ["bind", "escalate"].filter { v in asked.contains { $0.verb == v && rule.allows($0) } }
                let names = rule.resourceNames.isEmpty ? "" : " (only \(rule.resourceNames.joined(separator: ", ")))"
                return ctx.finding(thisRule, g, severity: rule.resourceNames.isEmpty ? .medium : .low) { who, scope in
                    "\(who) can \(verbs.joined(separator: " and ")) roles\(names) \(scope)"
                }
            }
        })

    /// `*` on `*` in one namespace.
    public static let namespaceAdministrator = FindingRule(
        id: "namespace-administrator", category: .dangerousGrant, severity: .critical,
        title: "Identity administers a namespace",
        rationale: "`*` verbs on `*` resources (in every API group, or in the core group alone) through a RoleBinding is everything in that namespace: every secret, every service account's token, pods as any of them. In kube-system that is the control plane's credentials, hence the cluster.",
        remediation: "Bind the built-in `admin` or `edit` ClusterRole in the namespace instead (they exclude RBAC escalation and are updated with Kubernetes), or list what is needed.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: everything, namespace: kube-system}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ops, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: everything}
            subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pods, namespace: dev}
            rules: [{apiGroups: [""], resources: ["*"], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ops, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
            subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for (id, b) in zip(ctx.graph.bindings.ids, ctx.graph.bindings) where b.kind == .roleBinding {
                guard case .role(let r) = ctx.graph.resolutions[id], let ns = b.namespace else { continue }
                // `*` in every group, or in the core group: its secrets, pods and service accounts
                // are what administering a namespace means.
                for (j, rule) in ctx.graph.roles[r].rules.enumerated()
                where rule.verbs.containsExactly("*") && rule.resources.containsExactly("*")
                    && (rule.apiGroups.containsExactly("*") || rule.apiGroups.containsExactly(""))
                {
                    let everyGroup = rule.apiGroups.containsExactly("*")
                    let g = PermissionGrant(binding: id, role: r, ruleIndex: j, namespace: ns, request: ResourceRequest(verb: "*", resource: "*"))
                    out.append(ctx.finding(thisRule, g, severity: ns == "kube-system" ? .critical : .high) { who, _ in
                        (everyGroup ? "\(who) can do everything in namespace \(ns)"
                            : "\(who) can do everything with the core API group (secrets, pods, service accounts, config maps) in namespace \(ns)")
                            + (ns == "kube-system" ? ": the control plane's credentials" : "")
                    })
                    break
                }
            }
            return out
        })

    /// The kube-system ConfigMaps whose content decides cluster DNS, networking and, on EKS,
    /// who is system:masters.
    static let criticalConfigMaps = ["coredns", "kube-proxy", "aws-auth"]

    /// update/patch on ConfigMaps of kube-system that reaches coredns, kube-proxy or aws-auth.
    public static let clusterConfigHijack = FindingRule(
        id: "cluster-config-hijack", category: .dangerousGrant, severity: .high,
        title: "Identity can rewrite cluster DNS or network configuration",
        rationale: "The `coredns` ConfigMap decides what every name in the cluster resolves to, `kube-proxy`'s how Services route, and on EKS `aws-auth` maps cloud identities to Kubernetes groups, system:masters included. Whoever may update them redirects traffic or becomes cluster-admin.",
        remediation: "Limit ConfigMap writes in kube-system with resourceNames that exclude these, or leave them to the cluster's operators.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: configurer, namespace: kube-system}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [update]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configurer}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // Named ConfigMaps that are none of these.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: configurer, namespace: kube-system}
            rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [my-app-config], verbs: [update, patch]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: jane, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configurer}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for g in ctx.grants(allowingAny: requests(["update", "patch"], [("", "configmaps")])) {
                guard g.namespace == nil || g.namespace == "kube-system" else { continue }
                let rule = ctx.graph.roles[g.role].rules[g.ruleIndex]
                let reached = criticalConfigMaps.filter { name in
                    ["update", "patch"].contains { rule.allows(ResourceRequest(verb: $0, resource: "configmaps", namespace: "kube-system", name: name)) }
                }
                guard !reached.isEmpty else { continue }
                out.append(ctx.finding(thisRule, g, severity: .high) { who, _ in
                    "\(who) can update ConfigMaps \(reached.map { "kube-system/\($0)" }.joined(separator: ", "))"
                })
            }
            return out
        })
}
