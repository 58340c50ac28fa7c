// The API server's start-up reconciliation of its bootstrap policy
// (`pkg/registry/rbac/rest/storage_rbac.go` and `pkg/registry/rbac/reconciliation`), applied to
// a loaded input: what the cluster holds once the API server has started with these manifests.

extension Cluster {
    /// Adds the built-in policy to the input, as the API server reconciles it at start-up.
    ///
    /// - When the input already holds the bootstrap policy (a cluster dump: a Role or ClusterRole
    ///   labelled `kubernetes.io/bootstrapping: rbac-defaults`), nothing is added.
    /// - Otherwise, first, an input ClusterRole `admin`, `edit` or `view` without an
    ///   aggregationRule has its rules copied to a new `system:aggregate-to-admin` (…), unless the
    ///   input has that one (`primeAggregatedClusterRoles`).
    /// - Then each built-in object is looked up by kind, namespace and name among the input
    ///   objects (the last one of that name, the one `kubectl apply` leaves):
    ///   - none: the built-in object is appended, marked ``ObjectOrigin/builtIn``;
    ///   - annotated `rbac.authorization.kubernetes.io/autoupdate: "false"`: left as written;
    ///   - a role: expected labels and annotations are added where missing, then the expected
    ///     rules not covered by the input's (as `Covers` breaks them down) are appended, then
    ///     missing aggregation selectors are appended (an aggregationRule the built-in role does
    ///     not have is removed) — the union, never a removal of permissions;
    ///   - a binding whose roleRef differs: replaced by the built-in binding (the API server
    ///     deletes and recreates it);
    ///   - a binding: labels and annotations added where missing, missing subjects appended.
    ///   A changed input object is marked ``ObjectOrigin/reconciled``; an unchanged one stays
    ///   ``ObjectOrigin/input``.
    ///
    /// Built-in objects go after the input's, so answers name the input's grants first.
    /// - Returns: what was done, for stats and reports.
    /// - Complexity: O(n + b · r) for n input objects and b built-in objects of r rules.
    @discardableResult
    public mutating func mergeBuiltinPolicy(_ policy: BuiltinPolicy) -> BuiltinPolicyMerge {
        mergeBuiltinPolicy(version: policy.version) { policy }
    }

    /// ``mergeBuiltinPolicy(_:)`` with the policy of `version` made by `policy` only when the
    /// input does not hold the bootstrap policy already (parsing a shipped policy is work a
    /// cluster dump does not need).
    /// - Throws: what `policy` throws; the input is then left as it was.
    @discardableResult
    public mutating func mergeBuiltinPolicy<E: Error>(
        version: String, _ policy: () throws(E) -> BuiltinPolicy
    ) throws(E) -> BuiltinPolicyMerge {
        if holdsBuiltinPolicy {
            kubernetesVersion = version
            return BuiltinPolicyMerge(version: version, mode: .alreadyInInput)
        }
        let policy = try policy()
        kubernetesVersion = policy.version
        var merge = BuiltinPolicyMerge(version: policy.version, mode: .merged)

        var roleIndex: [ObjectKey: Int] = [:]
        for (i, r) in roles.enumerated() { roleIndex[ObjectKey(r)] = i }  // the last one wins
        var bindingIndex: [ObjectKey: Int] = [:]
        for (i, b) in bindings.enumerated() { bindingIndex[ObjectKey(b)] = i }

        // primeAggregatedClusterRoles: hand-written admin/edit/view keep their rules through a
        // new aggregated-in role.
        let builtInNames = Set(policy.roles.map(ObjectKey.init))
        for (old, new) in BuiltinPolicy.aggregatedRenames {
            let newKey = ObjectKey(kind: "ClusterRole", namespace: "", name: new)
            guard roleIndex[newKey] == nil, builtInNames.contains(newKey),
                let i = roleIndex[ObjectKey(kind: "ClusterRole", namespace: "", name: old)],
                roles[i].aggregationRule == nil
            else { continue }
            var copy = roles[i]
            copy.name = new
            roleIndex[newKey] = roles.count
            roles.append(copy)
            merge.migrated.append("ClusterRole/\(old) → ClusterRole/\(new)")
        }

        for expected in policy.roles {
            let key = ObjectKey(expected)
            guard let i = roleIndex[key] else {
                roleIndex[key] = roles.count
                roles.append(expected)
                merge.added.append(expected.displayName)
                continue
            }
            if Self.isProtected(roles[i].annotations) {
                merge.protected.append(roles[i].displayName)
                continue
            }
            if let united = Self.reconciled(roles[i], with: expected) {
                roles[i] = united
                merge.reconciled.append(united.displayName)
            }
        }

        for expected in policy.bindings {
            let key = ObjectKey(expected)
            guard let i = bindingIndex[key] else {
                bindingIndex[key] = bindings.count
                bindings.append(expected)
                merge.added.append(expected.displayName)
                continue
            }
            if Self.isProtected(bindings[i].annotations) {
                merge.protected.append(bindings[i].displayName)
                continue
            }
            if !Self.sameRoleRef(bindings[i].roleRef, expected.roleRef) {
                var replacement = expected
                replacement.source = bindings[i].source
                bindings[i] = replacement
                merge.replaced.append(expected.displayName)
                continue
            }
            if let united = Self.reconciled(bindings[i], with: expected) {
                bindings[i] = united
                merge.reconciled.append(united.displayName)
            }
        }
        return merge
    }

    /// Whether the input holds the API server's bootstrap policy: a Role or ClusterRole
    /// labelled `kubernetes.io/bootstrapping: rbac-defaults` (a cluster dump).
    public var holdsBuiltinPolicy: Bool {
        let label = BuiltinPolicy.bootstrappingLabel
        return roles.contains { $0.labels[label.key] == label.value }
    }

    // MARK: Reconciliation of one object

    static func isProtected(_ annotations: [String: String]) -> Bool {
        annotations[BuiltinPolicy.autoupdateAnnotation] == "false"
    }

    /// `merge(expected, existing)`: the existing values win.
    static func united(_ existing: [String: String], with expected: [String: String]) -> [String: String] {
        existing.merging(expected) { mine, _ in mine }
    }

    /// `computeReconciledRole` in union mode: the input role with what the built-in one adds,
    /// or `nil` when nothing is missing.
    static func reconciled(_ existing: Role, with expected: Role) -> Role? {
        var role = existing
        role.labels = united(existing.labels, with: expected.labels)
        role.annotations = united(existing.annotations, with: expected.annotations)
        let missing = covers(existing.rules, expected.rules).uncovered
        role.rules += missing
        switch (existing.aggregationRule, expected.aggregationRule) {
        case (.some, nil):
            role.aggregationRule = nil
        case (let mine, .some(let theirs)):
            let have = mine?.clusterRoleSelectors ?? []
            let add = theirs.clusterRoleSelectors.filter { s in !have.contains { sameSelector($0, s) } }
            if !add.isEmpty { role.aggregationRule = AggregationRule(clusterRoleSelectors: have + add) }
        case (nil, nil):
            break
        }
        if role == existing { return nil }
        role.origin = .reconciled
        return role
    }

    /// `computeReconciledRoleBinding` in union mode, for a binding of the same roleRef: the input
    /// binding with the missing labels, annotations and subjects, or `nil` when nothing is missing.
    static func reconciled(_ existing: Binding, with expected: Binding) -> Binding? {
        var binding = existing
        binding.labels = united(existing.labels, with: expected.labels)
        binding.annotations = united(existing.annotations, with: expected.annotations)
        binding.subjects += expected.subjects.filter { !existing.subjects.contains($0) }
        if binding == existing { return nil }
        binding.origin = .reconciled
        return binding
    }

    static func sameRoleRef(_ a: RoleRef, _ b: RoleRef) -> Bool {
        a.apiGroup.isExactly(b.apiGroup) && a.kind.isExactly(b.kind) && a.name.isExactly(b.name)
    }

    /// Go's `DeepEqual` of two selectors: matchLabels as maps, matchExpressions in order.
    static func sameSelector(_ a: LabelSelector, _ b: LabelSelector) -> Bool {
        func labels(_ s: LabelSelector) -> [String: String] {
            Dictionary(s.matchLabels.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        }
        return labels(a) == labels(b) && a.matchExpressions == b.matchExpressions
    }
}
