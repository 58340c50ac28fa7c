/// One object of a manifest an identity would apply, and whether the API server would let the
/// write through: the pull-request question "may the CI identity apply this?".
public struct ApplyCheck: Sendable {
    /// What decides the write.
    public enum Outcome: Sendable {
        /// A binding or role: authorization plus the RBAC storage's escalation check.
        case admission(Admission.Verdict)
        /// Any other kind rbacgraph reads: authorization of the write alone.
        case authorization(ResourceRequest, Decision)
    }

    public var kind: String
    /// `nil` for cluster-scoped kinds.
    public var namespace: String?
    public var name: String
    /// Where the object is written in the file applied.
    public var source: SourceLocation?
    /// Whether an object of this kind and name is in the input: applying it then updates
    /// (`patch`) rather than creates.
    public var exists: Bool
    public var outcome: Outcome

    /// Whether the API server would accept the write.
    public var allowed: Bool {
        switch outcome {
        case .admission(let v): return v.allowed
        case .authorization(_, let d): return d.allowed
        }
    }

    /// `Kind ns/name` or `Kind name`.
    public var displayName: String { namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)" }
}

extension AccessGraph {
    /// What `kubectl apply -f` of `objects` by `identity` would meet, object by object, in the
    /// order they are written: `patch` of an object that exists in this graph (by kind,
    /// namespace and name), `create` otherwise. Bindings and roles get the API server's full
    /// admission check (``admission(of:by:verb:existing:)``); Pods, the workload kinds,
    /// ServiceAccounts, Secrets and Namespaces the authorization of the write. Kinds rbacgraph
    /// does not read are not in `objects` (the loader counts them as skipped: say so).
    /// - Complexity: one admission or authorization per object.
    public func applyChecks(of objects: Cluster, by identity: Identity) -> [ApplyCheck] {
        var out: [ApplyCheck] = []
        for b in objects.bindings {
            let existing = binding(sameAs: b)
            let verdict = admission(
                of: .binding(b), by: identity, verb: existing == nil ? .create : .patch, existing: existing.map { .binding($0) })
            out.append(ApplyCheck(
                kind: b.kind.rawValue, namespace: b.kind == .clusterRoleBinding ? nil : b.namespace, name: b.name,
                source: b.source, exists: existing != nil, outcome: .admission(verdict)))
        }
        for r in objects.roles {
            // The stored object before aggregation matters only for its aggregationRule, which
            // aggregation keeps.
            let existing = r.kind == .clusterRole ? clusterRole(named: r.name) : role(named: r.name, in: r.namespace ?? "default")
            let verdict = admission(
                of: .role(r), by: identity, verb: existing == nil ? .create : .patch, existing: existing.map { .role($0) })
            out.append(ApplyCheck(
                kind: r.kind.rawValue, namespace: r.kind == .clusterRole ? nil : r.namespace, name: r.name,
                source: r.source, exists: existing != nil, outcome: .admission(verdict)))
        }
        func write(_ kind: String, _ group: String, _ resource: String, _ ns: String?, _ name: String, _ source: SourceLocation?, exists: Bool) {
            let request = ResourceRequest(
                verb: exists ? "patch" : "create", apiGroup: group, resource: resource, namespace: ns ?? "",
                name: exists ? name : "")
            out.append(ApplyCheck(
                kind: kind, namespace: ns, name: name, source: source, exists: exists,
                outcome: .authorization(request, authorize(identity, .resource(request)))))
        }
        for w in objects.workloads {
            let (group, resource) = Self.workloadResource(w.kind)
            let exists = workloads.contains { $0.kind == w.kind && $0.namespace.isExactly(w.namespace) && $0.name.isExactly(w.name) }
            write(w.kind, group, resource, w.namespace, w.name, w.source, exists: exists)
        }
        for sa in objects.serviceAccounts {
            let exists = serviceAccounts.contains { $0.namespace.isExactly(sa.namespace) && $0.name.isExactly(sa.name) }
            write(SubjectKind.serviceAccount.rawValue, "", "serviceaccounts", sa.namespace, sa.name, sa.source, exists: exists)
        }
        for s in objects.secrets {
            let exists = secrets.contains { $0.namespace.isExactly(s.namespace) && $0.name.isExactly(s.name) }
            write("Secret", "", "secrets", s.namespace, s.name, s.source, exists: exists)
        }
        for n in objects.namespaces {
            let exists = namespaces.contains { $0.name.isExactly(n.name) }
            write("Namespace", "", "namespaces", nil, n.name, n.source, exists: exists)
        }
        return out.enumerated().sorted { a, b in
            switch (a.element.source, b.element.source) {
            case let (x?, y?) where x.file == y.file:
                return (x.line, x.column, a.offset) < (y.line, y.column, b.offset)
            case let (x?, y?):
                return (x.file, a.offset) < (y.file, b.offset)
            default:
                return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The API group and resource of a workload kind: Pods, or the controllers of
    /// ``KubernetesConventions/workloadResources``.
    static func workloadResource(_ kind: String) -> (group: String, resource: String) {
        if kind == "Pod" { return ("", "pods") }
        let w = KubernetesConventions.workloadResources.first { $0.kind == kind }
        return w.map { ($0.group, $0.resource) } ?? ("", kind.lowercased() + "s")
    }

    /// The binding of the input with the kind, namespace and name of `other` (byte for byte),
    /// if any: what an apply of `other` would update.
    /// - Complexity: O(b) for b bindings.
    public func binding(sameAs other: Binding) -> Binding? {
        bindings.first {
            $0.kind == other.kind && $0.name.isExactly(other.name) && ($0.namespace ?? "").isExactly(other.namespace ?? "")
        }
    }
}
