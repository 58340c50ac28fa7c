import RBACCore

/// The External Secrets Operator's objects and the Secrets Store CSI Driver's
/// SecretProviderClasses in a snapshot: each written from what the loader kept of it
/// (``ExternalInventory``), in the form the loader reads back to the same value. Nothing
/// else of the object is written, so nothing that could hold a secret value is:
///
/// - a store: its provider's name; the Vault provider's `server`, `path`, `version` and the
///   auth method's mount and role; every credential reference (a `serviceAccountRef`, or a
///   Secret's `name`, `namespace` and `key` — the key's name) at the field it was found at;
///   a ClusterSecretStore's `conditions`. Never inline auth fields (`roleId`, `username`, a
///   fake provider's `data`, webhook headers), `caBundle` or `caProvider`.
/// - an ExternalSecret: its store references, the remote keys it reads (`data[].remoteRef.key`,
///   `dataFrom[].extract.key`, written back as `data[].remoteRef.key`), whether it reads by
///   `find`, `target.name`, `target.creationPolicy` and `target.manifest`. Never
///   `target.template` (its `data` and `templateFrom` may hold literals), `secretKey`s or
///   properties. A ClusterExternalSecret adds `namespaces` and `namespaceSelectors`.
/// - a PushSecret: its store references, the Secret it pushes and the remote keys; never
///   its `template` or `data[].metadata`.
/// - a SecretProviderClass: `provider`, the Vault `roleName` and `vaultKubernetesMountPath`,
///   the names of the objects it mounts and the Secrets it syncs them into.
/// - a CustomResourceDefinition: `group`, `names.plural`, `names.kind`, `scope`.
///
/// Like every object of a snapshot, no `last-applied-configuration` annotation and no
/// `managedFields` (metadata is name and namespace only).
extension Snapshot {
    /// The external objects of `inventory`, in the order stores, ExternalSecrets (with
    /// ClusterExternalSecrets and PushSecrets), SecretProviderClasses, CustomResourceDefinitions.
    static func externalObjects(_ inventory: ExternalInventory) -> [JSONValue] {
        inventory.stores.map(store) + inventory.externalSecrets.map(externalSecret) + inventory.providerClasses.map(providerClass)
            + inventory.customResourceDefinitions.map(customResourceDefinition)
    }

    /// A CustomResourceDefinition: its group, plural, kind and scope (no versions, no schema).
    static func customResourceDefinition(_ d: CustomResourceDefinition) -> JSONValue {
        var o = fields(object("apiextensions.k8s.io/v1", "CustomResourceDefinition", name: "\(d.plural).\(d.group)", namespace: nil))
        o.append(("spec", .object([
            ("group", .string(d.group)),
            ("names", .object([("plural", .string(d.plural)), ("kind", .string(d.kind))])),
            ("scope", .string(d.namespaced ? "Namespaced" : "Cluster")),
        ])))
        return .object(o)
    }

    static let esoVersion = "external-secrets.io/v1"
    /// PushSecret is served at `v1alpha1` only.
    static let pushSecretVersion = "external-secrets.io/v1alpha1"

    /// One step of a credential's `field` (`spec.provider.aws.auth.secretRef.accessKeyIDSecretRef`,
    /// `…auth.items[0].secretRef`).
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// The steps of `field` below `spec`.
    static func steps(_ field: String) -> [Step] {
        var out: [Step] = []
        for part in field.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(i, at: 0)
                name = name[..<open]
            }
            out.append(.key(String(name)))
            out += indices.map(Step.index)
        }
        if out.first == .key("spec") { out.removeFirst() }
        return out
    }

    /// Puts `value` at `steps` under `node`, creating mappings and list entries on the way (a
    /// list entry no credential names stays an empty mapping); a mapping already there takes
    /// the new keys.
    static func insert(_ value: JSONValue, at steps: ArraySlice<Step>, into node: inout JSONValue) {
        guard let first = steps.first else {
            if case .object(var pairs) = node, case .object(let more) = value {
                for (k, v) in more where !pairs.contains(where: { $0.0 == k }) { pairs.append((k, v)) }
                node = .object(pairs)
            } else {
                node = value
            }
            return
        }
        let rest = steps.dropFirst()
        switch first {
        case .key(let k):
            var pairs: [(String, JSONValue)] = []
            if case .object(let p) = node { pairs = p }
            if let i = pairs.firstIndex(where: { $0.0 == k }) {
                insert(value, at: rest, into: &pairs[i].1)
            } else {
                var child = JSONValue.null
                insert(value, at: rest, into: &child)
                pairs.append((k, child))
            }
            node = .object(pairs)
        case .index(let i):
            var items: [JSONValue] = []
            if case .array(let a) = node { items = a }
            while items.count <= i { items.append(.object([])) }
            insert(value, at: rest, into: &items[i])
            node = .array(items)
        }
    }

    static func store(_ s: SecretStore) -> JSONValue {
        var spec = JSONValue.object([])
        let provider: [Step] = [.key("provider"), .key(s.provider)]
        insert(.object([]), at: provider[...], into: &spec)
        if let v = s.vault {
            var fields: [(String, JSONValue)] = []
            if let server = v.server { fields.append(("server", .string(server))) }
            if let mount = v.mount { fields.append(("path", .string(mount))) }
            fields.append(("version", .string(v.version)))
            insert(.object(fields), at: provider[...], into: &spec)
        }
        // The Vault auth method comes first under `auth` (the loader takes the first one), and
        // `auth` where the first credential under it was: credentials are found in key order.
        let auth = provider + [.key("auth")]
        var authStarted = false
        func startAuth() {
            guard !authStarted, let v = s.vault, let method = v.authMethod else { return }
            authStarted = true
            var m: [(String, JSONValue)] = []
            switch method {
            case "kubernetes":
                if let mount = v.authMount { m.append(("mountPath", .string(mount))) }
                if let role = v.role { m.append(("role", .string(role))) }
            case "jwt":
                if let mount = v.authMount { m.append(("path", .string(mount))) }
                if let role = v.role { m.append(("role", .string(role))) }
            default:
                if let mount = v.authMount { m.append(("path", .string(mount))) }
            }
            insert(.object(m), at: (auth + [.key(method)])[...], into: &spec)
        }
        for c in s.credentials {
            let at = steps(c.field)
            if at.starts(with: auth) { startAuth() }
            var ref: [(String, JSONValue)] = [("name", .string(c.name))]
            if let ns = c.namespace { ref.append(("namespace", .string(ns))) }
            if let key = c.key { ref.append(("key", .string(key))) }
            insert(.object(ref), at: at[...], into: &spec)
        }
        startAuth()
        if !s.conditions.isEmpty {
            insert(.array(s.conditions.map { c in
                var o: [(String, JSONValue)] = []
                if !c.namespaces.isEmpty { o.append(("namespaces", strings(c.namespaces))) }
                if let sel = c.namespaceSelector { o.append(("namespaceSelector", selector(sel))) }
                if !c.namespaceRegexes.isEmpty { o.append(("namespaceRegexes", strings(c.namespaceRegexes))) }
                return .object(o)
            }), at: [.key("conditions")], into: &spec)
        }
        var o = fields(object(esoVersion, s.kind.rawValue, name: s.name, namespace: s.namespace))
        o.append(("spec", spec))
        return .object(o)
    }

    static func storeRef(_ r: StoreReference) -> JSONValue {
        .object([("name", .string(r.name)), ("kind", .string(r.kind.rawValue))])
    }

    /// An ExternalSecret's spec (a ClusterExternalSecret's `externalSecretSpec`): the first
    /// store as `secretStoreRef`, the remote keys as `data`, the other stores as
    /// `dataFrom[].sourceRef.storeRef`, a `find` entry when it reads by pattern.
    static func externalSecretSpec(_ es: ExternalSecret) -> JSONValue {
        var spec: [(String, JSONValue)] = []
        if let first = es.stores.first { spec.append(("secretStoreRef", storeRef(first))) }
        var target: [(String, JSONValue)] = []
        if let name = es.secretName { target.append(("name", .string(name))) }
        target.append(("creationPolicy", .string(es.creationPolicy.rawValue)))
        if let m = es.manifest {
            target.append(("manifest", .object([("apiVersion", .string(m.apiVersion)), ("kind", .string(m.kind))])))
        }
        spec.append(("target", .object(target)))
        if !es.remoteKeys.isEmpty {
            spec.append(("data", .array(es.remoteKeys.map { .object([("remoteRef", .object([("key", .string($0))]))]) })))
        }
        var dataFrom: [JSONValue] = es.stores.dropFirst().map { .object([("sourceRef", .object([("storeRef", storeRef($0))]))]) }
        if es.findsKeys { dataFrom.append(.object([("find", .object([]))])) }
        if !dataFrom.isEmpty { spec.append(("dataFrom", .array(dataFrom))) }
        return .object(spec)
    }

    static func externalSecret(_ es: ExternalSecret) -> JSONValue {
        var o = fields(object(es.kind == .pushSecret ? pushSecretVersion : esoVersion, es.kind.rawValue, name: es.name, namespace: es.namespace))
        switch es.kind {
        case .externalSecret:
            o.append(("spec", externalSecretSpec(es)))
        case .clusterExternalSecret:
            var spec: [(String, JSONValue)] = [("externalSecretSpec", externalSecretSpec(es))]
            if !es.namespaces.isEmpty { spec.append(("namespaces", strings(es.namespaces))) }
            if !es.namespaceSelectors.isEmpty { spec.append(("namespaceSelectors", .array(es.namespaceSelectors.map(selector)))) }
            o.append(("spec", .object(spec)))
        case .pushSecret:
            var spec: [(String, JSONValue)] = [("secretStoreRefs", .array(es.stores.map(storeRef)))]
            if let name = es.secretName { spec.append(("selector", .object([("secret", .object([("name", .string(name))]))]))) }
            if !es.remoteKeys.isEmpty {
                spec.append(("data", .array(es.remoteKeys.map { .object([("match", .object([("remoteRef", .object([("remoteKey", .string($0))]))]))]) })))
            }
            o.append(("spec", .object(spec)))
        }
        return .object(o)
    }

    static func providerClass(_ c: SecretProviderClass) -> JSONValue {
        var parameters: [(String, JSONValue)] = []
        if let role = c.vaultRole { parameters.append(("roleName", .string(role))) }
        if c.provider == "vault", let mount = c.vaultAuthMount { parameters.append(("vaultKubernetesMountPath", .string(mount))) }
        if !c.objects.isEmpty {
            // YAML inside a string, as the providers take it; the field each names its objects by.
            let (key, field) = c.provider == "gcp" ? ("secrets", "resourceName") : ("objects", c.provider == "vault" ? "secretPath" : "objectName")
            let list = JSONValue.array(c.objects.map { .object([(field, .string($0))]) })
            parameters.append((key, .string(list.serialized())))
        }
        var spec: [(String, JSONValue)] = [("provider", .string(c.provider))]
        if !parameters.isEmpty { spec.append(("parameters", .object(parameters))) }
        if !c.syncedSecrets.isEmpty {
            spec.append(("secretObjects", .array(c.syncedSecrets.map { .object([("secretName", .string($0))]) })))
        }
        var o = fields(object("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass", name: c.name, namespace: c.namespace))
        o.append(("spec", .object(spec)))
        return .object(o)
    }

    /// A label selector as the API writes it.
    static func selector(_ s: LabelSelector) -> JSONValue {
        var sel: [(String, JSONValue)] = []
        if !s.matchLabels.isEmpty { sel.append(("matchLabels", .object(s.matchLabels.map { ($0.key, .string($0.value)) }))) }
        if !s.matchExpressions.isEmpty {
            sel.append(("matchExpressions", .array(s.matchExpressions.map { e in
                var x: [(String, JSONValue)] = [("key", .string(e.key)), ("operator", .string(e.operator))]
                if !e.values.isEmpty { x.append(("values", strings(e.values))) }
                return .object(x)
            })))
        }
        return .object(sel)
    }
}
