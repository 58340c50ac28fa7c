import RBACCore

// MARK: - Drafts to objects

/// A draft checked and turned into what the cluster holds, before it is added: everything
/// adding it does that depends on the draft alone. ``ManifestLoader/Session/prepare(_:defaultKind:options:)``
/// makes it on any thread (a load on several threads prepares objects where it parses them);
/// ``ManifestLoader/Session/commit(_:)`` adds it in input order, which is what depends on the
/// objects before it (a replaced definition) and on the order of diagnostics.
struct PreparedObject {
    /// What the object adds to the cluster.
    enum Addition {
        case role(Role, key: DefinitionKey)
        case binding(Binding, key: DefinitionKey)
        case serviceAccount(ServiceAccount)
        case namespace(Namespace)
        case secret(SecretMetadata)
        case workload(Workload)
        case encryptionConfiguration(EncryptionConfiguration)
        case auditPolicy(AuditPolicy)
        case secretStore(SecretStore)
        case providerClass(SecretProviderClass)
        case externalSecret(ExternalSecret)
        case customResourceDefinition(CustomResourceDefinition)
    }

    /// Reported in this order, before the object is added.
    var diagnostics: [LoadDiagnostic] = []
    /// What the API server would refuse in it (the object is still added, unless strict).
    var refusal: APIServerValidation.Refusal?
    var addition: Addition?
    /// The kind counted as loaded (with `addition`) or as skipped (without).
    var countedKind: String?

    mutating func report(_ severity: LoadDiagnostic.Severity, _ location: SourceLocation, _ message: String) {
        diagnostics.append(LoadDiagnostic(severity: severity, location: location, message: message))
    }
}

extension ManifestLoader.Session {
    /// Adds a prepared object: its diagnostics, its refusal, then the object itself (after
    /// the check for a replaced definition), and counts its kind.
    ///
    /// Takes the object over: what it holds moves into the cluster without a copy (each copy
    /// of a Role or binding retains and releases every string and array it holds).
    mutating func commit(_ p: consuming PreparedObject) throws(LoadError) {
        for d in p.diagnostics { try add(d) }
        if let r = p.refusal { refusals.append(r) }
        guard let kind = p.countedKind else { return }
        guard let addition = p.addition.take() else {
            statistics.skippedKinds[kind, default: 0] += 1
            return
        }
        switch consume addition {
        case .role(let role, let key):
            try noteReplacement(consume key, kind: kind, namespace: role.namespace, name: role.name, at: role.source, in: \.roles, by: role)
            cluster.roles.append(consume role)
        case .binding(let binding, let key):
            try noteReplacement(consume key, kind: kind, namespace: binding.namespace, name: binding.name, at: binding.source, in: \.bindings, by: binding)
            cluster.bindings.append(consume binding)
        case .serviceAccount(let a): cluster.serviceAccounts.append(a)
        case .namespace(let n): cluster.namespaces.append(n)
        case .secret(let s): cluster.secrets.append(s)
        case .workload(let w): cluster.workloads.append(w)
        case .encryptionConfiguration(let e): cluster.encryptionConfigurations.append(e)
        case .auditPolicy(let a): cluster.auditPolicies.append(a)
        case .secretStore(let s): cluster.external.stores.append(s)
        case .providerClass(let c): cluster.external.providerClasses.append(c)
        case .externalSecret(let e): cluster.external.externalSecrets.append(e)
        case .customResourceDefinition(let c): cluster.external.customResourceDefinitions.append(c)
        }
        statistics.loadedKinds[kind, default: 0] += 1
    }

    /// What adding a draft does (see ``PreparedObject``); reads nothing of the load.
    /// - Parameter defaultKind: the kind of drafts that name none (``defaultKind``).
    static func prepare(_ d: ObjectDraft, defaultKind: String?, options: ManifestLoader.Options) -> PreparedObject {
        var p = PreparedObject()
        guard let kind = d.kind ?? defaultKind, !kind.isEmpty else {
            p.report(.error, d.location, "missing kind: not a Kubernetes object")
            return p
        }
        if isList(kind) {
            return p  // a List without items, or a nested one
        }
        guard ManifestDecoder.keptKinds.contains(kind) else {
            p.countedKind = kind
            // The operator's one kind not read: said, since it pushes Secrets to the stores.
            if kind == "ClusterPushSecret", d.apiVersion?.hasPrefix("external-secrets.io/") == true {
                p.report(.warning, d.location, "ClusterPushSecret not read: rbacgraph does not follow the Secrets it pushes from the namespaces it selects to its stores (PushSecrets are read)")
            }
            return p
        }
        if kind == "CustomResourceDefinition" {
            prepareDefinition(d, into: &p)
            return p
        }
        // For messages only: built when one is reported.
        var what: String { d.name.map { "\(kind) \"\($0)\"" } ?? kind }
        if d.invalid {
            p.report(.error, d.location, "\(what) not loaded: it has invalid fields (reported above)")
            return p
        }
        // API server configuration files: no metadata.name needed.
        switch kind {
        case "EncryptionConfiguration", "EncryptionConfig":
            p.addition = .encryptionConfiguration(EncryptionConfiguration(resources: d.encryption ?? [], source: d.location))
            p.countedKind = kind
            return p
        case "Policy":
            p.countedKind = kind
            guard let v = d.apiVersion, v.hasPrefix("audit.k8s.io/") else {
                return p  // another API group's Policy (Kyverno, …): skipped
            }
            var rules: [AuditPolicy.Rule] = []
            for r in d.rules ?? [] {
                guard let level = r.level else {
                    p.report(.error, r.location, "audit Policy rule has no level")
                    p.countedKind = nil
                    return p
                }
                if !r.rule.resources.isEmpty {
                    p.report(.error, r.location, "audit Policy rule: resources[] must be {group, resources} mappings")
                    p.countedKind = nil
                    return p
                }
                rules.append(AuditPolicy.Rule(
                    level: level, users: r.users, userGroups: r.userGroups, verbs: r.rule.verbs, resources: r.groupResources,
                    namespaces: r.namespaces, nonResourceURLs: r.rule.nonResourceURLs, omitStages: r.omitStages))
            }
            p.addition = .auditPolicy(AuditPolicy(rules: rules, omitStages: d.omitStages, source: d.location))
            return p
        default:
            break
        }
        guard let name = d.name, !name.isEmpty else {
            p.report(.error, d.location, "\(kind) has no metadata.name")
            return p
        }
        if let group = ManifestDecoder.externalKinds[kind] {
            prepareExternal(d, kind: kind, group: group, name: name, options: options, into: &p)
            return p
        }
        if ManifestDecoder.rbacKinds.contains(kind) {
            if let v = d.apiVersion, !v.hasPrefix("rbac.authorization.k8s.io/") {
                p.report(.warning, d.location, "\(what) has apiVersion \(v), not rbac.authorization.k8s.io: skipped")
                p.countedKind = kind
                return p
            }
        }
        let ns = d.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? options.defaultNamespace
        switch kind {
        case "Role", "ClusterRole":
            var rules: [PolicyRule] = []
            if let drafts = d.rules {
                rules.reserveCapacity(drafts.count)
                for i in drafts.indices {  // by index: a rule's draft is not copied, only its rule
                    if drafts[i].resourcesWereMappings {
                        p.report(.error, drafts[i].location, "rules[].resources[] must be strings")
                        p.report(.error, d.location, "\(what) not loaded: it has invalid fields (reported above)")
                        return p
                    }
                    rules.append(drafts[i].rule)
                }
            }
            let role = Role(
                kind: kind == "Role" ? .role : .clusterRole, name: name, namespace: ns, labels: d.labels,
                rules: rules, aggregationRule: kind == "ClusterRole" ? d.aggregationRule : nil,
                source: d.location, annotations: d.annotations)
            let problems = APIServerValidation.problems(in: role)
            if !problems.isEmpty {
                let refusal = APIServerValidation.Refusal(
                    object: role.displayName, namespace: role.namespace, source: d.location, problems: problems)
                guard admit(refusal, rules: d.rules ?? [], options: options, into: &p) else { return p }
            }
            p.addition = .role(role, key: DefinitionKey(kind: kind, namespace: role.namespace, name: name))
        case "RoleBinding", "ClusterRoleBinding":
            guard let ref = d.roleRef else {
                p.report(.error, d.location, "\(what) has no roleRef")
                return p
            }
            guard let refKind = ref.kind, !refKind.isEmpty, let refName = ref.name, !refName.isEmpty else {
                p.report(.error, d.location, "\(what): roleRef needs kind and name")
                return p
            }
            let apiGroup = ref.apiGroup.flatMap { $0.isEmpty ? nil : $0 } ?? "rbac.authorization.k8s.io"
            let binding = Binding(
                kind: kind == "RoleBinding" ? .roleBinding : .clusterRoleBinding, name: name, namespace: ns,
                roleRef: RoleRef(apiGroup: apiGroup, kind: refKind, name: refName),
                subjects: d.subjects ?? [], source: d.location, labels: d.labels, annotations: d.annotations)
            let problems = APIServerValidation.problems(in: binding)
            if !problems.isEmpty {
                let refusal = APIServerValidation.Refusal(
                    object: binding.displayName, namespace: binding.namespace, source: d.location, problems: problems)
                guard admit(refusal, rules: [], options: options, into: &p) else { return p }
            }
            p.addition = .binding(binding, key: DefinitionKey(kind: kind, namespace: binding.namespace, name: name))
        case "ServiceAccount":
            p.addition = .serviceAccount(ServiceAccount(
                namespace: ns, name: name, automountServiceAccountToken: d.automountServiceAccountToken,
                secrets: d.serviceAccountSecrets, source: d.location))
        case "Namespace":
            p.addition = .namespace(Namespace(name: name, labels: d.labels, source: d.location))
        case "Secret":
            p.addition = .secret(SecretMetadata(
                namespace: ns, name: name, type: d.type ?? "Opaque", annotations: d.annotations,
                source: d.location))
        default:
            var template = d.pod.template
            template.serviceAccountName = d.pod.serviceAccountName ?? d.pod.serviceAccount ?? "default"
            if kind == "Pod" {
                template.vaultAnnotations = d.annotations.filter { $0.key.hasPrefix(ManifestDecoder.vaultAnnotationPrefix) }
            }
            p.addition = .workload(Workload(kind: kind, namespace: ns, name: name, template: template, source: d.location))
        }
        p.countedKind = kind
        return p
    }
}

// MARK: - CustomResourceDefinitions

extension ManifestLoader.Session {
    /// A CustomResourceDefinition (`apiextensions.k8s.io`) with its group, plural, kind and
    /// scope; one lacking any of them (a kustomize patch of a CRD, say) is skipped like any
    /// kind rbacgraph does not use, and counted so.
    static func prepareDefinition(_ d: ObjectDraft, into p: inout PreparedObject) {
        let kind = "CustomResourceDefinition"
        p.countedKind = kind
        guard d.apiVersion?.hasPrefix("apiextensions.k8s.io/") ?? true else { return }
        let what = d.name.map { "\(kind) \"\($0)\"" } ?? kind
        guard let crd = d.crd else {
            if d.specBeforeKind { p.report(.warning, d.location, "\(what): its spec comes before its kind, which rbacgraph needs first: not used") }
            return
        }
        guard let group = crd.group, !group.isEmpty, let plural = crd.plural, !plural.isEmpty, let crdKind = crd.kind, !crdKind.isEmpty,
            let scope = crd.scope
        else { return }
        guard scope == "Namespaced" || scope == "Cluster" else {
            p.report(.warning, d.location, "\(what): spec.scope must be Namespaced or Cluster, not \(scope): not used")
            return
        }
        p.addition = .customResourceDefinition(CustomResourceDefinition(
            group: group, kind: crdKind, plural: plural, namespaced: scope == "Namespaced", source: d.location))
    }
}

// MARK: - External Secrets Operator and Secrets Store CSI

extension ManifestLoader.Session {
    /// A SecretStore, ClusterSecretStore, ExternalSecret, ClusterExternalSecret, PushSecret
    /// or SecretProviderClass (another API group's kind of the same name is skipped).
    static func prepareExternal(
        _ d: ObjectDraft, kind: String, group: String, name: String, options: ManifestLoader.Options, into p: inout PreparedObject
    ) {
        if let v = d.apiVersion, !v.hasPrefix(group) {
            p.countedKind = kind
            return
        }
        guard let spec = d.externalSpec else {
            let why = d.specBeforeKind ? "its spec comes before its kind, which rbacgraph needs first" : "it has no spec"
            p.report(.error, d.location, "\(kind) \"\(name)\" not loaded: \(why)")
            return
        }
        let ns = d.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? options.defaultNamespace
        var loadedStore: SecretStore? = nil
        var notes: [String] = []
        do {
            switch kind {
            case "SecretStore", "ClusterSecretStore":
                let k = SecretStore.Kind(rawValue: kind) ?? .secretStore
                let store = try ExternalObjects.store(kind: k, namespace: k == .secretStore ? ns : nil, name: name, spec: spec, at: d.location)
                p.addition = .secretStore(store)
                loadedStore = store
            case "SecretProviderClass":
                p.addition = .providerClass(try ExternalObjects.providerClass(namespace: ns, name: name, spec: spec, at: d.location))
            default:
                let k = ExternalSecret.Kind(rawValue: kind) ?? .externalSecret
                p.addition = .externalSecret(try ExternalObjects.externalSecret(
                    kind: k, apiVersion: d.apiVersion, namespace: k == .clusterExternalSecret ? nil : ns, name: name, spec: spec, at: d.location, notes: &notes))
            }
        } catch {
            p.report(.error, d.location, "\(kind) \"\(name)\" not loaded: \(error.message)")
            return
        }
        for note in notes { p.report(.warning, d.location, "\(kind) \"\(name)\": \(note)") }
        // Conditions are Go regular expressions: one Go rejects, or that cannot be read as Go
        // reads it, leaves the namespaces it might admit unknown.
        for (ci, c) in (loadedStore?.conditions ?? []).enumerated() {
            for (ri, r) in c.namespaceRegexes.enumerated() {
                guard let why = GoRegex.problem(r) else { continue }
                p.report(.warning, d.location, "\(kind) \"\(name)\": spec.conditions[\(ci)].namespaceRegexes[\(ri)] \"\(r)\": \(why); whether it admits a namespace is unknown")
            }
        }
        p.countedKind = kind
    }
}

// MARK: - What the API server would refuse

extension ManifestLoader.Session {
    /// Reports each problem the API server's validation finds in an RBAC object, located at
    /// its rule when it has one; in strict mode the object is left out.
    /// - Returns: whether to load the object.
    static func admit(
        _ refusal: APIServerValidation.Refusal, rules: [RuleDraft], options: ManifestLoader.Options, into p: inout PreparedObject
    ) -> Bool {
        guard !refusal.problems.isEmpty else { return true }
        let what = refusal.object.split(separator: "/", maxSplits: 1).map(String.init)
        let name = what.count == 2 ? "\(what[0]) \"\(what[1])\"" : refusal.object
        let outcome = options.strict ? "left out by --strict" : "evaluated as written"
        for problem in refusal.problems {
            let at = problem.ruleIndex.flatMap { $0 < rules.count ? rules[$0].location : nil } ?? refusal.source
            p.report(.warning, at ?? SourceLocation(file: "-"), "\(name): the API server would refuse it: \(problem) (\(outcome))")
        }
        if options.strict { return false }
        p.refusal = refusal
        return true
    }
}

// MARK: - Replaced definitions

/// An RBAC object's kind, namespace and name, compared byte for byte (Kubernetes names
/// compare as bytes). The hash of the three is computed once, when the key is made (on the
/// thread that prepares the object): the session's table of definitions grows to one entry
/// per RBAC object, and growing it rehashes every key from the stored value without reading
/// the strings again.
struct DefinitionKey: Hashable {
    let kind: String
    /// "" for none (a cluster-scoped kind).
    let namespace: String
    let name: String
    private let hash: Int

    init(kind: String, namespace: String?, name: String) {
        self.kind = kind
        self.namespace = namespace ?? ""
        self.name = name
        var hasher = Hasher()
        kind.hashExactly(into: &hasher)
        self.namespace.hashExactly(into: &hasher)
        name.hashExactly(into: &hasher)
        hash = hasher.finalize()
    }

    static func == (a: Self, b: Self) -> Bool {
        a.hash == b.hash && a.kind.isExactly(b.kind) && a.namespace.isExactly(b.namespace) && a.name.isExactly(b.name)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// The stored hash (itself from a seeded `Hasher`), mixed with the table's seed: a
    /// lookup, and every rehash as the table grows, costs no `Hasher` run of its own.
    func _rawHashValue(seed: Int) -> Int { hash ^ seed }
}

/// An RBAC object the session loaded: a Role, ClusterRole or binding, with its source.
protocol SourcedObject {
    var source: SourceLocation? { get set }
}

extension Role: SourcedObject {}
extension Binding: SourcedObject {}

extension ManifestLoader.Session {
    /// Warns when an RBAC object replaces an earlier one of the same kind, namespace and name
    /// that says something else (the later one wins, as with `kubectl apply`; the same
    /// object twice, say a base and a copy of it, is no news).
    mutating func noteReplacement<T: SourcedObject & Equatable>(
        _ key: consuming DefinitionKey, kind: String, namespace: String?, name: String, at location: SourceLocation?,
        in list: KeyPath<Cluster, [T]>, by object: T
    ) throws(LoadError) {
        let index = cluster[keyPath: list].count
        guard let earlier = definitions.updateValue(index, forKey: key) else { return }
        var before = cluster[keyPath: list][earlier], after = object
        let earlierSource = before.source
        before.source = nil
        after.source = nil
        guard before != after else { return }
        let what = namespace.map { "\(kind) \"\($0)/\(name)\"" } ?? "\(kind) \"\(name)\""
        let there = earlierSource.map { " at \($0)" } ?? ""
        try report(.warning, location ?? SourceLocation(file: "-"), "\(what) replaces a different definition\(there)")
    }
}
