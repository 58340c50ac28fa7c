// The permission patterns of docs/paths.md ("Permission steps"), each turned into steps.

extension EscalationGraph.Builder {
    /// A role an identity holds through a binding, or a held role (no binding yet): its rules,
    /// in order, are what the identity holds from it.
    struct HeldRole {
        var role: RoleID
        /// The binding that grants it, and the subject of the binding that matched; `nil` for
        /// a role one would bind oneself.
        var binding: (id: BindingID, subject: Subject)?
    }

    /// The rules an identity (or a held role) has, seen from one scope.
    struct RuleView {
        /// Roles whose rules apply everywhere (ClusterRoleBindings): to cluster-scoped requests
        /// and to namespaced requests in any namespace.
        var clusterRoles: [HeldRole]
        /// Roles whose rules apply to namespaced requests in `namespace` only (RoleBindings).
        var namespaceRoles: [HeldRole]
        /// ``Scope/cluster``: the cluster-wide view (namespaced requests mean every namespace);
        /// ``Scope/everyNamespace``: the namespace rules hold in every namespace; otherwise one
        /// namespace.
        var scope: Scope
        /// The bindings behind the rules (an identity's own, not a held role's), with the role
        /// each resolves to: roles without rules included, as `escalate` can fill them. Those
        /// naming the identity itself come before those naming one of its groups.
        var bound: [(binding: BindingID, role: RoleID)] = []
        /// What ``clusterRoles`` answered already, when other views share them (the
        /// namespaces of one identity); `nil`: not kept.
        var clusterAnswers: ViewAnswers? = nil

        /// The scope of namespaced targets: every namespace, or one.
        var targetScope: Scope { scope == .cluster ? .everyNamespace : scope }
        /// The namespace of namespaced targets: `nil` for every namespace.
        var targetNamespace: String? { scope.namespaceName }
    }

    /// A question asked of rules: does one allow this request (or, for names, this verb, and
    /// for which names)?
    struct Question: Hashable {
        var verb: ExactKey
        var group: ExactKey
        var resource: ExactKey
        var sub: ExactKey
        var name: ExactKey
        init(_ verb: String, _ group: String, _ resource: String, _ sub: String, _ name: String) {
            (self.verb, self.group, self.resource, self.sub, self.name) =
                (ExactKey(verb), ExactKey(group), ExactKey(resource), ExactKey(sub), ExactKey(name))
        }
    }

    /// A question's number (``questionNumbers``), asked once per call, whatever the roles.
    func number(_ q: Question) -> Int {
        if let n = questionNumbers[q] { return n }
        let n = questionNumbers.count
        questionNumbers[q] = n
        return n
    }

    /// What one role's rules answered. An answer depends on the rules and the question only,
    /// so each role answers each question once, however many bindings, identities,
    /// namespaces and scopes hold it (scanning each binding's rules for each of its holders'
    /// scopes grew with the product of bindings and role sizes).
    final class RoleAnswers {
        /// The first rule (its index) allowing a request; -1: none.
        var first: [Int: Int] = [:]
        /// The rules one verb is allowed by (a names question): the first without
        /// resourceNames, and the names of those with resourceNames, in rule order.
        var names: [Int: (all: Int?, named: [(name: String, ruleIndex: Int)])] = [:]
        /// Whether any question had an answer: a rule allowing it, or a name.
        var anyAllowed = false
        /// Kinds of scope where the role, held, was seen to allow no step.
        var noSteps = Set<ScopeKind>()
    }

    /// What the rules of a view answered (its evidence), kept for views that share them.
    final class ViewAnswers {
        var first: [Int: StepEvidence?] = [:]
        var names: [Int: Names] = [:]
    }

    /// What decides the questions ``derive(_:)`` asks before a first answer: whether the view
    /// is cluster-wide, and whether its namespace may hold aws-auth. Every step needs an
    /// answer, so rules that answered nothing in a scope allow no step in any scope of the
    /// same kind.
    struct ScopeKind: Hashable {
        var clusterView: Bool
        var asksAWSAuth: Bool
        /// The kind of a view of `scope` (``RuleView/scope``).
        init(_ scope: Scope) {
            clusterView = scope == .cluster
            let namespace = clusterView ? nil : scope.namespaceName  // as RuleView.targetNamespace
            asksAWSAuth = namespace.map { $0.isExactly(KubernetesConventions.controlPlaneNamespace) } ?? true
        }
    }

    func answers(_ role: RoleID) -> RoleAnswers {
        if let a = roleAnswers[role] { return a }
        let a = RoleAnswers()
        roleAnswers[role] = a
        return a
    }

    /// A step found for an identity, before it becomes an edge.
    struct Step {
        var to: Int
        var kind: EscalationKind
        var namespace: String?
        var evidence: [StepEvidence]
        var condition: PathCondition? = nil
        /// The step changes a role bound by a RoleBinding of the scope's namespace (so it
        /// belongs to that namespace even when ClusterRoleBindings grant the permissions).
        var ownRoleBinding = false
    }

    /// Which names a permission covers: every name, or some.
    struct Names {
        var all: StepEvidence?
        var named: [(name: String, evidence: StepEvidence)] = []
        var isEmpty: Bool { all == nil && named.isEmpty }

        func covers(_ name: String) -> StepEvidence? {
            if let all { return all }
            return named.first { $0.name.isExactly(name) }?.evidence
        }
    }

    func evidence(_ held: HeldRole, _ ruleIndex: Int, _ purpose: String) -> StepEvidence {
        StepEvidence(role: held.role, ruleIndex: ruleIndex, binding: held.binding?.id, subject: held.binding?.subject, purpose: purpose)
    }

    /// The first rule allowing a request (namespaced, or cluster-scoped), as evidence.
    func find(
        _ scope: RuleView, _ verb: String, _ group: String, _ resource: String, sub: String = "", name: String = "",
        clusterScoped: Bool = false
    ) -> StepEvidence? {
        let r = ResourceRequest(verb: verb, apiGroup: group, resource: resource, subresource: sub, name: name)
        let purpose = "\(verb) \(sub.isEmpty ? resource : resource + "/" + sub)\(group.isEmpty ? "" : "." + group)\(name.isEmpty ? "" : " \(name)")"
        let q = number(Question(verb, group, resource, sub, name))
        // The first role (in visit order) with a rule allowing it, and its first such rule.
        func first(_ roles: [HeldRole]) -> StepEvidence? {
            for held in roles {
                let a = answers(held.role)
                let j: Int
                if let known = a.first[q] {
                    j = known
                } else {
                    j = g.roles[held.role].rules.firstIndex { $0.allows(r) } ?? -1
                    a.first[q] = j
                    if j >= 0 { a.anyAllowed = true }
                }
                if j >= 0 { return evidence(held, j, purpose) }
            }
            return nil
        }
        let cluster: StepEvidence?
        if let kept = scope.clusterAnswers {
            if let known = kept.first[q] {
                cluster = known
            } else {
                cluster = first(scope.clusterRoles)
                kept.first[q] = .some(cluster)
            }
        } else {
            cluster = first(scope.clusterRoles)
        }
        if let cluster { return cluster }
        return clusterScoped ? nil : first(scope.namespaceRoles)
    }

    /// The first of several verbs allowed.
    func findAny(
        _ scope: RuleView, _ verbs: [String], _ group: String, _ resource: String, sub: String = "", name: String = "",
        clusterScoped: Bool = false
    ) -> StepEvidence? {
        for v in verbs {
            if let e = find(scope, v, group, resource, sub: sub, name: name, clusterScoped: clusterScoped) { return e }
        }
        return nil
    }

    /// The names a verb on a resource is allowed for.
    func names(
        _ scope: RuleView, _ verbs: [String], _ group: String, _ resource: String, sub: String = "", clusterScoped: Bool = false
    ) -> Names {
        var out = Names()
        let combined = sub.isEmpty ? resource : resource + "/" + sub
        // Per verb, the cluster rules' names and then the namespace rules', in rule order.
        for verb in verbs {
            let purpose = "\(verb) \(combined)\(group.isEmpty ? "" : "." + group)"
            let q = number(Question(verb, group, resource, sub, ""))
            func add(_ roles: [HeldRole], to out: inout Names) {
                for held in roles {
                    let a = answers(held.role)
                    let part: (all: Int?, named: [(name: String, ruleIndex: Int)])
                    if let known = a.names[q] {
                        part = known
                    } else {
                        part = allowedNames(g.roles[held.role].rules, verb, group, combined, sub)
                        a.names[q] = part
                        if part.all != nil || !part.named.isEmpty { a.anyAllowed = true }
                    }
                    if out.all == nil, let j = part.all { out.all = evidence(held, j, purpose) }
                    for (n, j) in part.named { out.named.append((n, evidence(held, j, purpose + " \(n)"))) }
                }
            }
            if let kept = scope.clusterAnswers {
                let part: Names
                if let known = kept.names[q] {
                    part = known
                } else {
                    var fresh = Names()
                    add(scope.clusterRoles, to: &fresh)
                    kept.names[q] = fresh
                    part = fresh
                }
                if out.all == nil { out.all = part.all }
                out.named += part.named
            } else {
                add(scope.clusterRoles, to: &out)
            }
            if !clusterScoped { add(scope.namespaceRoles, to: &out) }
        }
        return out
    }

    /// The rules (indices) of `rules` allowing one verb: the first without resourceNames, and
    /// the names of those with resourceNames, in rule order.
    private func allowedNames(
        _ rules: [PolicyRule], _ verb: String, _ group: String, _ combined: String, _ sub: String
    ) -> (all: Int?, named: [(name: String, ruleIndex: Int)]) {
        var all: Int?
        var named: [(name: String, ruleIndex: Int)] = []
        for (j, rule) in rules.enumerated() {
            guard rule.matches(verb: verb), rule.matches(apiGroup: group),
                rule.matches(combinedResource: combined, subresource: sub)
            else { continue }
            if rule.resourceNames.isEmpty {
                if all == nil { all = j }
            } else {
                for n in rule.resourceNames { named.append((n, j)) }
            }
        }
        return (all, named)
    }

    /// Every step the rules of `scope` allow.
    func derive(_ scope: RuleView) -> [Step] {
        var steps: [Step] = []
        let ns = scope.targetNamespace
        let clusterView = scope.scope == .cluster
        let here = scope.targetScope
        func add(_ to: PathNode, _ kind: EscalationKind, _ evidence: [StepEvidence], _ condition: PathCondition? = nil) {
            steps.append(Step(to: node(to), kind: kind, namespace: ns, evidence: evidence, condition: condition))
        }
        /// Namespaces a namespaced target can be in.
        let scopeNamespaces: [String] = ns.map { [$0] } ?? namespaces

        // rbac-wildcard: `*` on `*` in `*`: everything in the scope.
        if let e = find(scope, "*", "*", "*") {
            if clusterView, find(RuleView(clusterRoles: scope.clusterRoles, namespaceRoles: [], scope: scope.scope), "*", "*", "*", clusterScoped: true) != nil {
                add(.fullAuthority, .rbacWildcard, [e])
                return steps  // full authority covers every other step
            }
            if let ns {
                add(.namespaceAuthority(ns), .rbacWildcard, [e])
            } else {
                add(.runPods(in: .everyNamespace), .rbacWildcard, [e])
                add(.secrets(in: .everyNamespace), .rbacWildcard, [e])
            }
        }

        // secrets-read: list/watch reveal every value; get needs the name.
        let secretNames = names(scope, ["get", "list", "watch"], "", "secrets")
        if let e = findAny(scope, ["list", "watch"], "", "secrets") {
            add(.secrets(in: here), .secretsRead, [e])
        } else if let e = secretNames.all {
            add(.secrets(in: here), .secretsRead, [e], PathCondition("the secrets' names are known (get needs the name)", observed: nil))
        }
        if secretNames.all == nil {
            for (name, e) in secretNames.named {
                for n in scopeNamespaces where ns != nil || (secretsByNamespace[n] ?? []).contains(where: { $0.name.isExactly(name) }) {
                    add(.secret(namespace: n, name: name), .secretsRead, [e])
                }
            }
        }

        // pod-create and workload-create: run a pod as any service account of the scope.
        let podCreate = find(scope, "create", "", "pods")
        if let e = podCreate { add(.runPods(in: here), .podCreate, [e]) }
        var workloadCreate: StepEvidence? = nil
        for w in KubernetesConventions.workloadResources {
            if let e = find(scope, "create", w.group, w.resource) {
                workloadCreate = e
                break
            }
        }
        if let e = workloadCreate { add(.runPods(in: here), .workloadCreate, [e]) }

        // workload-update: change an existing workload's pod template.
        for w in KubernetesConventions.workloadResources {
            let allowed = names(scope, ["update", "patch"], w.group, w.resource)
            if let e = allowed.all {
                add(.workloads(kind: w.kind, in: here), .workloadUpdate, [e])
                continue
            }
            for (name, e) in allowed.named {
                for n in scopeNamespaces {
                    guard (workloadsByNamespace[n] ?? []).contains(where: { $0.kind == w.kind && $0.name.isExactly(name) }) else { continue }
                    add(.runPods(in: .namespace(n)), .workloadUpdate, [StepEvidence(
                        role: e.role, ruleIndex: e.ruleIndex, binding: e.binding, subject: e.subject,
                        purpose: e.purpose + " (\(w.kind) \(n)/\(name) exists)")])
                }
            }
        }

        // pod-update, pod-exec, ephemeral-container: act as a running pod's service account.
        // Before Kubernetes 1.35 a WebSocket exec or attach (a GET) needs only `get`: counted
        // when the version is older, as a condition when it is unknown (after `create`, so a
        // `create` step wins).
        var podSteps: [(EscalationKind, [String], String)] = [
            (.podUpdate, ["update", "patch"], ""), (.podExec, ["create"], "exec"), (.podExec, ["create"], "attach"),
            (.ephemeralContainer, ["update", "patch"], "ephemeralcontainers"),
        ]
        let getOpensStreams = KubernetesConventions.getOpensPodStreams(kubernetesVersion: g.kubernetesVersion)
        if getOpensStreams != false { podSteps += [(.podExec, ["get"], "exec"), (.podExec, ["get"], "attach")] }
        let versionUnknown = PathCondition(
            "the cluster runs Kubernetes before 1.35, where a WebSocket exec or attach needs only get (the version is unknown)", observed: nil)
        for (kind, verbs, sub) in podSteps {
            let allowed = names(scope, verbs, "", "pods", sub: sub)
            let byGet = verbs == ["get"] && getOpensStreams == nil
            if let e = allowed.all {
                add(.runningPods(in: here), kind, [e], byGet ? versionUnknown : nil)
                continue
            }
            for (name, e) in allowed.named {
                for n in scopeNamespaces {
                    for pod in podsByNamespace[n] ?? [] where pod.name.isExactly(name) {
                        let runsAs = "pod \(n)/\(pod.name) runs as \(pod.template.serviceAccountName)"
                        add(.serviceAccount(namespace: n, name: pod.template.serviceAccountName), kind, [e],
                            PathCondition(byGet ? "\(runsAs); \(versionUnknown.text)" : runsAs, observed: byGet ? nil : true))
                    }
                }
            }
        }

        // token-request: tokens for the service accounts named.
        let tokenNames = names(scope, ["create"], "", "serviceaccounts", sub: "token")
        if let e = tokenNames.all {
            add(.anyServiceAccount(in: here), .tokenRequest, [e])
        } else if !tokenNames.isEmpty {
            for n in scopeNamespaces {
                for sa in serviceAccounts[n] ?? [] {
                    if let e = tokenNames.covers(sa) { add(.serviceAccount(namespace: n, name: sa), .tokenRequest, [e]) }
                }
            }
        }

        // token-secret: create a legacy token secret, then read it back.
        if let create = find(scope, "create", "", "secrets"),
            let readBack = findAny(scope, ["get", "list", "watch"], "", "secrets") ?? podCreate
        {
            add(.anyServiceAccount(in: here), .tokenSecret, [create, readBack])
        }

        // impersonate: users and groups (cluster-scoped), service accounts (namespaced).
        let userNames = names(scope, ["impersonate"], "", "users", clusterScoped: true)
        let saImpersonation = names(scope, ["impersonate"], "", "serviceaccounts")
        if clusterView {
            for u in users {
                if let e = userNames.covers(u) { add(.user(u), .impersonate, [e]) }
            }
        }
        // The API server refuses Impersonate-Group without Impersonate-User: groups ride on a
        // user or a service account one may impersonate too (any name will do).
        let groupNames = names(scope, ["impersonate"], "", "groups", clusterScoped: true)
        if !groupNames.isEmpty,
            let carrier = userNames.all ?? userNames.named.first?.evidence ?? saImpersonation.all
                ?? saImpersonation.named.first?.evidence
        {
            if let e = groupNames.covers(Identity.mastersGroup) {
                add(.fullAuthority, .impersonate, [e, carrier])
            }
            for grp in groups where !grp.isExactly(Identity.mastersGroup) {
                if let e = groupNames.covers(grp) { add(.group(grp), .impersonate, [e, carrier]) }
            }
        }
        if let e = saImpersonation.all {
            add(.anyServiceAccount(in: here), .impersonate, [e])
        } else if !saImpersonation.isEmpty {
            for n in scopeNamespaces {
                for sa in serviceAccounts[n] ?? [] {
                    if let e = saImpersonation.covers(sa) { add(.serviceAccount(namespace: n, name: sa), .impersonate, [e]) }
                }
            }
        }

        // bind: bind oneself to a role one may bind.
        deriveBind(scope, add: { steps.append($0) })

        // escalate: add any rule to a role bound to oneself, or create a role and bind it.
        deriveEscalate(scope, add: { steps.append($0) })

        if clusterView {
            // csr-approve: a client certificate for any user and group, system:masters included.
            if let create = find(scope, "create", "certificates.k8s.io", "certificatesigningrequests", clusterScoped: true),
                let approval = findAny(scope, ["update", "patch"], "certificates.k8s.io", "certificatesigningrequests", sub: "approval", clusterScoped: true),
                let approve = find(scope, "approve", "certificates.k8s.io", "signers", name: "kubernetes.io/kube-apiserver-client", clusterScoped: true)
                    ?? find(scope, "approve", "certificates.k8s.io", "signers", name: "kubernetes.io/*", clusterScoped: true)
            {
                add(.fullAuthority, .csrApprove, [create, approval, approve])
            }
            // node-proxy: the kubelet API.
            if let e = findAny(scope, ["get", "create"], "", "nodes", sub: "proxy", clusterScoped: true) {
                add(.nodes, .nodeProxy, [e])
            }
            // webhook-config: see and rewrite every object admitted.
            for res in ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"] {
                if let e = findAny(scope, ["create", "update", "patch"], "admissionregistration.k8s.io", res, clusterScoped: true) {
                    add(.fullAuthority, .webhookConfig, [e])
                    break
                }
            }
        }

        // pv-create: a hostPath persistent volume mounted by a pod of one's own. Volumes are
        // cluster-scoped; the pod may be allowed by a RoleBinding.
        if let pv = find(scope, "create", "", "persistentvolumes", clusterScoped: true), let pods = podCreate {
            add(.nodes, .pvCreate, [pv, pods], PathCondition("hostPath persistent volumes are admitted", observed: nil))
        }

        // namespace-psa: relax a namespace's Pod Security labels, then run privileged pods.
        // (A request for a namespace object carries that namespace, so a RoleBinding in it counts.)
        if let pods = podCreate {
            for n in scopeNamespaces {
                if let e = findAny(scope, ["update", "patch"], "", "namespaces", name: n) {
                    add(.nodes, .namespacePSA, [e, pods],
                        PathCondition("Pod Security admission is what keeps privileged pods out of \(n)", observed: nil))
                    break
                }
            }
        }

        // aws-auth: map one's IAM identity to system:masters (EKS).
        if ScopeKind(scope.scope).asksAWSAuth,
            let e = findAny(scope, ["update", "patch"], "", "configmaps", name: "aws-auth")
        {
            add(.fullAuthority, .awsAuth, [e], PathCondition("the cluster is EKS (aws-auth maps IAM identities)", observed: nil))
        }
        return steps
    }

    /// `bind` on a role plus creating a binding to it: its permissions in the binding's scope.
    func deriveBind(_ scope: RuleView, add: (Step) -> Void) {
        let rbac = "rbac.authorization.k8s.io"
        let clusterView = scope.scope == .cluster
        // ClusterRoleBindings (cluster view only).
        if clusterView, let create = find(scope, "create", rbac, "clusterrolebindings", clusterScoped: true) {
            let bindable = names(scope, ["bind"], rbac, "clusterroles", clusterScoped: true)
            for (i, role) in zip(g.roles.ids, g.roles) where role.kind == .clusterRole {
                guard let e = bindable.covers(role.name), let h = holder(i, in: .cluster) else { continue }
                add(Step(to: h, kind: .bind, namespace: nil, evidence: [create, e]))
            }
        }
        // RoleBindings: in one namespace, or (from ClusterRoleBindings) in every namespace.
        guard let create = find(scope, "create", rbac, "rolebindings") else { return }
        let where_ = scope.targetScope
        let bindableClusterRoles = names(scope, ["bind"], rbac, "clusterroles")
        let bindableRoles = names(scope, ["bind"], rbac, "roles")
        if bindableClusterRoles.isEmpty && bindableRoles.isEmpty { return }
        for (i, role) in zip(g.roles.ids, g.roles) {
            if role.kind == .clusterRole {
                guard let e = bindableClusterRoles.covers(role.name), let h = holder(i, in: where_) else { continue }
                add(Step(to: h, kind: .bind, namespace: scope.targetNamespace, evidence: [create, e]))
            } else if let rns = role.namespace, where_.contains(namespace: rns) {
                guard let e = bindableRoles.covers(role.name), let h = holder(i, in: .namespace(rns)) else { continue }
                add(Step(to: h, kind: .bind, namespace: rns, evidence: [create, e]))
            }
        }
    }

    /// `escalate` on a role bound to oneself plus updating it, or creating a role and binding it.
    func deriveEscalate(_ scope: RuleView, add: (Step) -> Void) {
        let rbac = "rbac.authorization.k8s.io"
        // Roles bound to oneself (rules or not).
        for (b, r) in scope.bound {
            let binding = g.bindings[b]
            let role = g.roles[r]
            let target: PathNode = binding.kind == .clusterRoleBinding
                ? .fullAuthority : .namespaceAuthority(binding.namespace ?? "")
            let found: (StepEvidence, StepEvidence)?
            if role.kind == .clusterRole {
                // ClusterRoles are cluster-scoped objects: only ClusterRoleBindings can allow it.
                if let esc = find(scope, "escalate", rbac, "clusterroles", name: role.name, clusterScoped: true),
                    let upd = findAny(scope, ["update", "patch"], rbac, "clusterroles", name: role.name, clusterScoped: true)
                {
                    found = (esc, upd)
                } else {
                    found = nil
                }
            } else {
                if let esc = find(scope, "escalate", rbac, "roles", name: role.name),
                    let upd = findAny(scope, ["update", "patch"], rbac, "roles", name: role.name)
                {
                    found = (esc, upd)
                } else {
                    found = nil
                }
            }
            if let (esc, upd) = found {
                add(Step(
                    to: node(target), kind: .escalate, namespace: binding.namespace, evidence: [esc, upd],
                    ownRoleBinding: binding.kind == .roleBinding))
            }
        }
        // A new role with any rules, bound by oneself. `bind` limited by resourceNames still
        // lets one bind a role of such a name: a new one (when none exists: creating needs
        // no name), or an existing one one may escalate and update — as the API server's
        // admission of the role write and of the binding decides (AccessGraph.admission).
        if scope.scope == .cluster,
            let bindingCreate = find(scope, "create", rbac, "clusterrolebindings", clusterScoped: true)
        {
            let bindable = names(scope, ["bind"], rbac, "clusterroles", clusterScoped: true)
            if let e = newOrEscalatedRole(scope, "clusterroles", bindable, clusterScoped: true, exists: { g.clusterRole(named: $0) != nil }) {
                add(Step(to: node(.fullAuthority), kind: .escalate, namespace: nil, evidence: e.role + [bindingCreate, e.bind]))
            }
        }
        if let bindingCreate = find(scope, "create", rbac, "rolebindings") {
            let bindable = names(scope, ["bind"], rbac, "roles")
            if let ns = scope.targetNamespace {
                if let e = newOrEscalatedRole(scope, "roles", bindable, exists: { g.role(named: $0, in: ns) != nil }) {
                    add(Step(to: node(.namespaceAuthority(ns)), kind: .escalate, namespace: ns, evidence: e.role + [bindingCreate, e.bind]))
                }
            } else if let e = newOrEscalatedRole(scope, "roles", bindable, exists: { name in namespaces.contains { g.role(named: name, in: $0) != nil } }) {
                // In every namespace: what everything in a namespace gives, everywhere.
                add(Step(to: node(.runPods(in: .everyNamespace)), kind: .escalate, namespace: nil, evidence: e.role + [bindingCreate, e.bind]))
                add(Step(to: node(.secrets(in: .everyNamespace)), kind: .escalate, namespace: nil, evidence: e.role + [bindingCreate, e.bind]))
            } else {
                // Some namespaces hold a role of every bindable name: the others remain.
                for ns in namespaces {
                    if let e = newOrEscalatedRole(scope, "roles", bindable, exists: { g.role(named: $0, in: ns) != nil }) {
                        add(Step(to: node(.namespaceAuthority(ns)), kind: .escalate, namespace: ns, evidence: e.role + [bindingCreate, e.bind]))
                    }
                }
            }
        }
    }

    /// How to end up bound to a role with any rules, given the names `bind` allows: the
    /// evidence for the role (`escalate` and `create` of a new one, which carry no name, or
    /// `escalate` and `update` of an existing one of a bindable name) and for binding it.
    /// `exists` tells whether a role of a name is already there (then it must be updated).
    func newOrEscalatedRole(
        _ scope: RuleView, _ resource: String, _ bindable: Names, clusterScoped: Bool = false, exists: (String) -> Bool
    ) -> (role: [StepEvidence], bind: StepEvidence)? {
        let rbac = "rbac.authorization.k8s.io"
        let createNew: [StepEvidence]? = {
            guard let esc = find(scope, "escalate", rbac, resource, clusterScoped: clusterScoped),
                let create = find(scope, "create", rbac, resource, clusterScoped: clusterScoped)
            else { return nil }
            return [esc, create]
        }()
        if let bind = bindable.all, let createNew { return (createNew, bind) }
        for (name, bind) in bindable.named {
            if !exists(name) {
                if let createNew { return (createNew, bind) }
            } else if let esc = find(scope, "escalate", rbac, resource, name: name, clusterScoped: clusterScoped),
                let update = findAny(scope, ["update", "patch"], rbac, resource, name: name, clusterScoped: clusterScoped)
            {
                return ([esc, update], bind)
            }
        }
        return nil
    }
}
