// The External Secrets targets of queries: a store (`store:NS/NAME`, `clusterstore:NAME`:
// whatever its credentials reach), and the Kubernetes Secrets ExternalSecrets materialize.

/// A store as a query target: `store:NS/NAME` (a SecretStore) or `clusterstore:NAME` (a
/// ClusterSecretStore) — whatever the store's credentials reach. `secrets --external` prints a
/// key of a store whose reach is unknown as `store:NS/NAME key KEY`, and the keys a `dataFrom`
/// pattern finds as `store:NS/NAME (keys found by pattern)`; those forms are read too (kept for
/// the answer's title: who reaches the store reaches them). For a ClusterExternalSecret that
/// names a SecretStore and selects no namespace of the input it prints `store:*/NAME`: the
/// SecretStore NAME of any namespace, which is read back with that meaning.
public struct StoreTarget: Hashable, Sendable, CustomStringConvertible {
    public var kind: SecretStore.Kind
    /// The SecretStore's namespace; `nil` for a ClusterSecretStore, and for `store:*/NAME`
    /// (``anyNamespace``).
    public var namespace: String?
    public var name: String
    /// A key of the store (`store:prod/aws key prod/api-key`), or `nil`.
    public var key: String?
    /// The keys a pattern finds (`store:prod/aws (keys found by pattern)`).
    public var keysFoundByPattern = false

    /// What `secrets --external` appends to a store for the keys a `dataFrom` pattern finds.
    public static let foundByPatternSuffix = " (keys found by pattern)"

    public init(kind: SecretStore.Kind, namespace: String?, name: String, key: String? = nil) {
        self.kind = kind
        self.namespace = kind == .clusterSecretStore ? nil : namespace
        self.name = name
        self.key = key
    }

    /// The target of a store of the input.
    public init(_ store: SecretStore) {
        self.init(kind: store.kind, namespace: store.namespace, name: store.name)
    }

    /// Whether the target is `store:*/NAME`: the SecretStore NAME of any namespace.
    public var anyNamespace: Bool { kind == .secretStore && namespace == nil }

    /// `store:*/NAME`: the SecretStore `name` of any namespace.
    public static func anyNamespace(name: String, key: String? = nil) -> StoreTarget {
        StoreTarget(kind: .secretStore, namespace: nil, name: name, key: key)
    }

    /// Whether the text is meant as a store target (it starts with `store:` or `clusterstore:`).
    public static func isStoreTarget(_ text: String) -> Bool {
        text.hasExactPrefix("store:") || text.hasExactPrefix("clusterstore:")
    }

    /// Parses `store:NS/NAME`, `store:*/NAME` and `clusterstore:NAME`, each optionally followed
    /// by ` key KEY` or ` (keys found by pattern)`;
    /// `nil` for any other text, an empty namespace or name, a `*` name, or a name with a `/`.
    public static func parse(_ text: String) -> StoreTarget? {
        var body = Substring(text)
        var key: String? = nil
        var found = false
        if body.hasSuffix(foundByPatternSuffix) {
            body = body.dropLast(foundByPatternSuffix.count)
            found = true
        }
        if let r = body.firstRange(of: " key ") {
            key = String(body[r.upperBound...])
            body = body[..<r.lowerBound]
            if key?.isEmpty ?? true || found { return nil }
        }
        func valid(_ s: Substring) -> Bool { !s.isEmpty && s != "*" && !s.contains("/") && !s.contains(" ") }
        if body.hasPrefix("clusterstore:") {
            let name = body.dropFirst("clusterstore:".count)
            guard valid(name) else { return nil }
            var t = StoreTarget(kind: .clusterSecretStore, namespace: nil, name: String(name), key: key)
            t.keysFoundByPattern = found
            return t
        }
        guard body.hasPrefix("store:") else { return nil }
        let rest = body.dropFirst("store:".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let ns = rest[..<slash], name = rest[rest.index(after: slash)...]
        guard valid(ns) || ns == "*", valid(name) else { return nil }
        var t = StoreTarget(kind: .secretStore, namespace: ns == "*" ? nil : String(ns), name: String(name), key: key)
        t.keysFoundByPattern = found
        return t
    }

    /// `store:NS/NAME`, `store:*/NAME` or `clusterstore:NAME` (and ` key KEY`): the form
    /// ``parse(_:)`` reads.
    public var description: String {
        (kind == .clusterSecretStore ? "clusterstore:\(name)" : "store:\(namespace ?? "*")/\(name)") + (key.map { " key \($0)" } ?? "")
            + (keysFoundByPattern ? Self.foundByPatternSuffix : "")
    }

    /// The store as it names it: `store:NS/NAME` or `clusterstore:NAME`, without the key.
    public var storeName: String { StoreTarget(kind: kind, namespace: namespace, name: name).description }

    /// Whether `store` is a store the target names (names byte for byte; for `store:*/NAME`,
    /// the SecretStore NAME of any namespace).
    public func names(_ store: SecretStore) -> Bool {
        guard store.kind == kind, store.name.isExactly(name) else { return false }
        guard kind == .secretStore, let namespace else { return true }
        return (store.namespace ?? "").isExactly(namespace)
    }

    /// What `store:` and `clusterstore:` targets take, for messages.
    public static let syntax = "store:NAMESPACE/NAME (a SecretStore), store:*/NAME (the SecretStore NAME of any namespace) or clusterstore:NAME (a ClusterSecretStore)"
}

/// What one may do with a store: the verb of `who-can VERB store:…` and the `--capability` of
/// `paths --to store:…`.
public enum StoreUse: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Any of the below.
    case use
    /// Make the store read for one: an ExternalSecret (created, updated, or made by a
    /// ClusterExternalSecret) in a namespace it serves; or hold its credentials.
    case read
    /// Make the store write with its credentials: a PushSecret in a namespace it serves; or
    /// hold its credentials.
    case write

    public var description: String { rawValue }

    /// `use`, `read` or `write`, for messages.
    public static let names = "use, read or write"

    var reads: Bool { self != .write }
    var writes: Bool { self != .read }
}

/// A Kubernetes Secret an ExternalSecret (or the ExternalSecret a ClusterExternalSecret makes)
/// writes: `spec.target.name`, by default the ExternalSecret's own name, in its namespace.
/// With `creationPolicy` `Owner` (the default), `Orphan` or `CreateOrMerge` the operator
/// creates it; with `Merge` it only writes into a Secret that exists (listed only when the
/// input holds it); with `None` it writes none (never listed).
///
/// With `spec.target.manifest` (``ExternalSecret/TargetManifest``) the object written is of
/// that kind instead — a ConfigMap, a custom resource — and is no Secret: ``manifest`` says
/// which (``AccessGraph/materializedObjects()`` lists them). The input holds no such
/// objects, so one written with `Merge` is listed too, on the condition that it exists.
public struct MaterializedSecret: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String
    /// The ExternalSecret (or ClusterExternalSecret) that writes it.
    public var externalSecret: ExternalSecret
    /// Whether the input holds the Secret itself.
    public var inInput: Bool
    /// For an object other than a Secret: what the operator's Deployments say of generic
    /// targets (``AccessGraph/materializedObjects()`` sets it).
    public var genericTargets: GenericTargetsSetting = .unknown

    /// `materialized by ExternalSecret prod/db at cluster.yaml:96` (`written into by …` for a
    /// `Merge` into a Secret of the input).
    public var description: String {
        let es = externalSecret
        let what = es.kind == .clusterExternalSecret ? "ClusterExternalSecret \(es.name) (its ExternalSecret in \(namespace))" : "ExternalSecret \(namespace)/\(es.name)"
        let verb = es.creationPolicy == .merge ? "written into by" : "materialized by"
        return "\(verb) \(what)" + (es.source.map { " at \($0)" } ?? "")
    }

    /// The kind of object written when it is not a Secret (`spec.target.manifest`); `nil`
    /// for a Secret.
    public var manifest: ExternalSecret.TargetManifest? {
        externalSecret.writesSecret ? nil : externalSecret.manifest
    }

    /// `Secret prod/db`, `ConfigMap prod/app-config`, `Application (argoproj.io/v1alpha1) prod/app`.
    public var title: String { "\(manifest?.description ?? "Secret") \(namespace)/\(name)" }

    /// What a path to its data ends at, as `--to` takes it: `secret:NS/NAME` for a Secret;
    /// for another kind, the `get` of it (`can:get:configmaps:NS:NAME`,
    /// `can:get:applications.argoproj.io:NS:NAME`), which `paths --to` answers with every way
    /// to its data.
    public var target: String {
        guard let m = manifest else { return "secret:\(namespace)/\(name)" }
        return "can:get:\(m.typedResource):\(namespace):\(name)"
    }

    /// The `get` of the object (for a Secret too).
    public var getRequest: ResourceRequest {
        guard let m = manifest else { return ResourceRequest(verb: "get", resource: "secrets", namespace: namespace, name: name) }
        return ResourceRequest(verb: "get", apiGroup: m.group, resource: m.resource.name, namespace: namespace, name: name)
    }

    /// What holds only on a condition the input does not show, for an object that is no
    /// Secret: the operator must allow such targets, and a kind the built-in table does not
    /// hold has its resource guessed. `nil` for a Secret.
    public var conditionNote: String? {
        guard let m = manifest else { return nil }
        var parts: [String] = []
        if genericTargets == .unknown {
            parts.append("the operator runs with --unsafe-allow-generic-targets, without which it writes no such object")
        }
        if m.resource.guessed {
            parts.append("its resource is \(m.typedResource), guessed from the kind: the input holds no CustomResourceDefinition of \(m.kind), and if its plural differs, RBAC on that one decides who reads it")
        }
        if let d = m.definition, !d.namespaced {
            parts.append("its CustomResourceDefinition\(d.source.map { " at \($0)" } ?? "") makes \(m.kind) cluster-scoped: the API server drops the namespace the operator writes it with, so RBAC on \(m.typedResource) cluster-wide decides who reads it, where these answers ask in \(namespace)")
        }
        if externalSecret.creationPolicy == .merge { parts.append("with creationPolicy Merge it is written only if it exists") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

extension ExternalSecret {
    /// The namespaces a ClusterExternalSecret makes its ExternalSecret in: those it lists, and
    /// each of `namespaces` whose labels one of its `namespaceSelectors` matches (a namespace
    /// whose labels are unknown matches on its name label only). An ExternalSecret: its own.
    public func homes(among namespaces: [String], labels: (String) -> [String: String]?) -> [String] {
        guard kind == .clusterExternalSecret else { return namespace.map { [$0] } ?? [] }
        var out = self.namespaces
        for ns in namespaces where !out.contains(where: { $0.isExactly(ns) }) {
            var l = labels(ns) ?? [:]
            if l["kubernetes.io/metadata.name"] == nil { l["kubernetes.io/metadata.name"] = ns }
            if namespaceSelectors.contains(where: { (try? $0.matches(l)) == true }) { out.append(ns) }
        }
        return out
    }
}

extension ExternalInventory {
    /// The Secrets the ExternalSecrets and ClusterExternalSecrets write (see
    /// ``MaterializedSecret``), the first writer of each; PushSecrets write none.
    /// - Parameters:
    ///   - namespaces: the namespaces a ClusterExternalSecret's selectors are tried on.
    ///   - labels: a namespace's labels, `nil` when unknown.
    ///   - exists: whether the input holds the Secret `namespace`/`name`.
    public func materializedSecrets(
        namespaces: [String], labels: (String) -> [String: String]?, exists: (String, String) -> Bool
    ) -> [MaterializedSecret] {
        var out: [MaterializedSecret] = []
        var seen = Set<AccessGraph.NamespacedName>()
        for es in externalSecrets where es.kind != .pushSecret && es.creationPolicy.writes && es.writesSecret {
            guard let name = es.secretName else { continue }
            for ns in es.homes(among: namespaces, labels: labels) {
                let inInput = exists(ns, name)
                guard es.creationPolicy.creates || inInput else { continue }
                guard seen.insert(AccessGraph.NamespacedName(namespace: ns, name: name)).inserted else { continue }
                out.append(MaterializedSecret(namespace: ns, name: name, externalSecret: es, inInput: inInput))
            }
        }
        return out
    }
}

extension ExternalInventory {
    /// The objects other than Secrets the ExternalSecrets and ClusterExternalSecrets write
    /// (`spec.target.manifest`), the first writer of each kind, namespace and name. The input
    /// holds no such objects: `inInput` is `false`, and one written with `Merge` is listed
    /// too (``MaterializedSecret/conditionNote``).
    public func materializedObjects(namespaces: [String], labels: (String) -> [String: String]?) -> [MaterializedSecret] {
        var out: [MaterializedSecret] = []
        var seen = Set<[String]>()
        for es in externalSecrets where es.kind != .pushSecret && es.creationPolicy.writes && !es.writesSecret {
            guard let name = es.secretName, let m = es.manifest else { continue }
            for ns in es.homes(among: namespaces, labels: labels) {
                guard seen.insert([m.group, m.kind, ns, name]).inserted else { continue }
                out.append(MaterializedSecret(namespace: ns, name: name, externalSecret: es, inInput: false))
            }
        }
        return out
    }
}

extension AccessGraph {
    /// The objects other than Secrets the input's ExternalSecrets write
    /// (``ExternalInventory/materializedObjects(namespaces:labels:)``); none when the
    /// operator's Deployments refuse generic targets (``genericTargets``).
    public func materializedObjects() -> [MaterializedSecret] {
        if !external.externalSecrets.contains(where: { !$0.writesSecret }) { return [] }
        if case .refused = genericTargets { return [] }
        return external.materializedObjects(namespaces: externalNamespaceNames(), labels: { ns in namespaces.last { $0.name.isExactly(ns) }?.labels })
            .map { var m = $0; m.genericTargets = genericTargets; return m }
    }

    /// What an ExternalSecret writes that `request` (a `get` by name) asks about, if any: a
    /// Secret (``materializedSecret(namespace:name:)``), or an object of another kind
    /// (`spec.target.manifest`).
    public func materialized(getting request: ResourceRequest) -> MaterializedSecret? {
        guard request.verb == "get", request.subresource.isEmpty, !request.name.isEmpty else { return nil }
        if request.apiGroup.isEmpty, request.resource == "secrets" { return materializedSecret(namespace: request.namespace, name: request.name) }
        return materializedObjects().first { m in
            let r = m.getRequest
            return r.apiGroup == request.apiGroup && r.resource == request.resource
                && r.namespace.isExactly(request.namespace) && r.name.isExactly(request.name)
        }
    }

    /// The namespaces a ClusterExternalSecret's selectors are tried on: those the input names.
    func externalNamespaceNames() -> [String] {
        var names = Set(namespaces.map(\.name))
        for s in secrets { names.insert(s.namespace) }
        for w in workloads { names.insert(w.namespace) }
        for sa in serviceAccounts { names.insert(sa.namespace) }
        for e in external.externalSecrets { if let ns = e.namespace { names.insert(ns) } }
        for b in bindings { if let ns = b.namespace { names.insert(ns) } }
        return names.sorted()
    }

    /// The Secrets the input's ExternalSecrets write (``ExternalInventory/materializedSecrets(namespaces:labels:exists:)``),
    /// ClusterExternalSecrets' selectors tried on the namespaces the input names.
    public func materializedSecrets() -> [MaterializedSecret] {
        if external.externalSecrets.isEmpty { return [] }
        let existing = Set(secrets.map { NamespacedName(namespace: $0.namespace, name: $0.name) })
        return external.materializedSecrets(
            namespaces: externalNamespaceNames(), labels: { ns in namespaces.last { $0.name.isExactly(ns) }?.labels },
            exists: { existing.contains(NamespacedName(namespace: $0, name: $1)) })
    }

    /// The ``MaterializedSecret`` that is Secret `namespace`/`name`, if an ExternalSecret writes it.
    /// - Complexity: computes every one; to ask about many Secrets, use ``materializedSecretLookup()``.
    public func materializedSecret(namespace: String, name: String) -> MaterializedSecret? {
        materializedSecrets().first { $0.namespace.isExactly(namespace) && $0.name.isExactly(name) }
    }

    /// ``materializedSecret(namespace:name:)`` for many Secrets: computed once, then a lookup.
    public func materializedSecretLookup() -> @Sendable (_ namespace: String, _ name: String) -> MaterializedSecret? {
        let byName = Dictionary(materializedSecrets().map { (NamespacedName(namespace: $0.namespace, name: $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        return { byName[NamespacedName(namespace: $0, name: $1)] }
    }
}
