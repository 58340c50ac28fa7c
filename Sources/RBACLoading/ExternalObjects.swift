import RBACCore

/// External Secrets Operator and Secrets Store CSI objects from their specs (trees read by
/// ``ManifestDecoder/readTree(_:depth:)``): which identity a store uses, which namespaces it
/// serves, which stores and keys an ExternalSecret reads, which objects a
/// SecretProviderClass names. Never a secret value: those fields are not even read.
enum ExternalObjects {
    /// A problem with an object: reported as an error, the object not loaded.
    struct Problem: Error {
        var message: String
    }

    static func string(_ v: JSONValue?) -> String? {
        guard let v, case .string(let s) = v, !s.isEmpty else { return nil }
        return s
    }

    static func strings(_ v: JSONValue?, _ field: String) throws(Problem) -> [String] {
        guard let v else { return [] }
        switch v {
        case .null: return []
        case .array(let items):
            var out: [String] = []
            for i in items {
                guard case .string(let s) = i else { throw Problem(message: "\(field) must be a list of strings") }
                out.append(s)
            }
            return out
        default: throw Problem(message: "\(field) must be a list of strings")
        }
    }

    /// A label selector (`matchLabels`, `matchExpressions`), validated as the API server does.
    static func selector(_ tree: JSONValue, _ field: String) throws(Problem) -> LabelSelector {
        guard case .object(let pairs) = tree else { throw Problem(message: "\(field) must be a label selector (a mapping)") }
        var selector = LabelSelector()
        for (key, value) in pairs {
            switch key {
            case "matchLabels":
                if case .null = value { continue }
                guard case .object(let labels) = value else { throw Problem(message: "\(field).matchLabels must be a mapping") }
                for (k, v) in labels {
                    guard case .string(let s) = v else { throw Problem(message: "\(field).matchLabels values must be strings") }
                    selector.matchLabels.append((key: k, value: s))
                }
            case "matchExpressions":
                if case .null = value { continue }
                guard case .array(let items) = value else { throw Problem(message: "\(field).matchExpressions must be a list") }
                for item in items {
                    guard let k = string(item["key"]), let op = string(item["operator"]) else {
                        throw Problem(message: "\(field).matchExpressions: each entry needs key and operator")
                    }
                    selector.matchExpressions.append(.init(key: k, operator: op, values: try strings(item["values"], "\(field).matchExpressions[].values")))
                }
            default:
                throw Problem(message: "\(field): unknown field \(key)")
            }
        }
        do { try selector.validate() } catch { throw Problem(message: "\(field): \(error.message)") }
        return selector
    }

    // MARK: Stores

    static func store(kind: SecretStore.Kind, namespace: String?, name: String, spec: JSONValue, at loc: SourceLocation) throws(Problem) -> SecretStore {
        guard case .object(let providers)? = spec["provider"], let (provider, block) = providers.first else {
            throw Problem(message: "spec.provider must name one provider")
        }
        if providers.count > 1 { throw Problem(message: "spec.provider names \(providers.count) providers: a store has one") }
        var store = SecretStore(kind: kind, namespace: namespace, name: name, provider: provider, source: loc)
        store.credentials = credentials(in: block, field: "spec.provider.\(provider)")
        if provider == "vault" { store.vault = vaultProvider(block) }
        if let conditions = spec["conditions"] {
            if kind == .secretStore {
                throw Problem(message: "spec.conditions: only a ClusterSecretStore has conditions")
            }
            guard case .array(let items) = conditions else { throw Problem(message: "spec.conditions must be a list") }
            for item in items {
                var c = SecretStore.Condition()
                c.namespaces = try strings(item["namespaces"], "spec.conditions[].namespaces")
                c.namespaceRegexes = try strings(item["namespaceRegexes"], "spec.conditions[].namespaceRegexes")
                if let sel = item["namespaceSelector"], sel != .null {
                    c.namespaceSelector = try selector(sel, "spec.conditions[].namespaceSelector")
                }
                store.conditions.append(c)
            }
        }
        return store
    }

    /// Every service account reference (`…serviceAccountRef`) and Secret key selector (a
    /// mapping with `name` and `key`) under a provider block, CA bundles aside.
    static func credentials(in tree: JSONValue, field: String) -> [StoreCredential] {
        var out: [StoreCredential] = []
        func walk(_ v: JSONValue, _ path: String, key: String) {
            switch v {
            case .object(let pairs):
                if key == "caProvider" { return }
                let name = string(v["name"])
                if key.hasSuffix("serviceAccountRef") || key == "serviceAccount", let name {
                    out.append(StoreCredential(kind: .serviceAccount, name: name, namespace: string(v["namespace"]), field: path))
                    return
                }
                if let name, string(v["key"]) != nil || key.lowercased().hasSuffix("secretref") {
                    out.append(StoreCredential(kind: .secret, name: name, namespace: string(v["namespace"]), field: path, key: string(v["key"])))
                    return
                }
                for (k, child) in pairs { walk(child, "\(path).\(k)", key: k) }
            case .array(let items):
                for (i, child) in items.enumerated() { walk(child, "\(path)[\(i)]", key: key) }
            default:
                return
            }
        }
        walk(tree, field, key: "")
        return out
    }

    static func vaultProvider(_ block: JSONValue) -> SecretStore.VaultProvider {
        var p = SecretStore.VaultProvider(server: string(block["server"]), mount: string(block["path"]), version: string(block["version"]) ?? "v2")
        if case .object(let methods)? = block["auth"], let (method, auth) = methods.first {
            p.authMethod = method
            switch method {
            case "kubernetes":
                p.authMount = string(auth["mountPath"]) ?? "kubernetes"
                p.role = string(auth["role"])
            case "jwt":
                p.authMount = string(auth["path"]) ?? "jwt"
                p.role = string(auth["role"])
            default:
                p.authMount = string(auth["path"]) ?? string(auth["mountPath"])
            }
        }
        return p
    }

    // MARK: ExternalSecret, ClusterExternalSecret, PushSecret

    static func storeRef(_ v: JSONValue?, _ field: String) throws(Problem) -> StoreReference? {
        guard let v, v != .null else { return nil }
        guard let name = string(v["name"]) else { throw Problem(message: "\(field).name is required") }
        let kind = string(v["kind"]) ?? "SecretStore"
        guard let k = SecretStore.Kind(rawValue: kind) else {
            throw Problem(message: "\(field).kind must be SecretStore or ClusterSecretStore, not \(kind)")
        }
        return StoreReference(kind: k, name: name)
    }

    /// Whether an `apiVersion` is `external-secrets.io/v1alpha1`: an ExternalSecret of that
    /// version (served until the operator's 0.15) names a `dataFrom` entry's key directly
    /// (`dataFrom[].key`), where `v1beta1` and `v1` write `dataFrom[].extract.key`.
    static func isV1alpha1(_ apiVersion: String?) -> Bool { apiVersion == "external-secrets.io/v1alpha1" }

    /// The stores and keys of an ExternalSecret spec (also a ClusterExternalSecret's template).
    static func externalSecretSpec(_ spec: JSONValue, into es: inout ExternalSecret, field: String, v1alpha1: Bool = false) throws(Problem) {
        if let ref = try storeRef(spec["secretStoreRef"], "\(field).secretStoreRef") { es.stores.append(ref) }
        for (list, keyPath) in [("data", ["remoteRef", "key"]), ("dataFrom", v1alpha1 ? ["key"] : ["extract", "key"])] {
            guard let items = spec[list] else { continue }
            guard case .array(let entries) = items else {
                if items == .null { continue }
                throw Problem(message: "\(field).\(list) must be a list")
            }
            for e in entries {
                let key = keyPath.count == 1 ? e[keyPath[0]] : e[keyPath[0]]?[keyPath[1]]
                if let k = string(key) { es.remoteKeys.append(k) }
                if list == "dataFrom", e["find"] != nil { es.findsKeys = true }
                if let ref = try storeRef(e["sourceRef"]?["storeRef"], "\(field).\(list)[].sourceRef.storeRef"), !es.stores.contains(ref) {
                    es.stores.append(ref)
                }
            }
        }
        if es.stores.isEmpty { throw Problem(message: "\(field).secretStoreRef is required") }
    }

    /// `target.creationPolicy`: `Owner` when absent; anything else the CRD's enum refuses.
    static func creationPolicy(_ v: JSONValue?, _ field: String) throws(Problem) -> ExternalSecret.CreationPolicy {
        guard let v, v != .null else { return .owner }
        guard let text = string(v), let policy = ExternalSecret.CreationPolicy(rawValue: text) else {
            throw Problem(message: "\(field) must be one of \(ExternalSecret.CreationPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return policy
    }

    /// `target.manifest`: the kind of object written instead of a Secret; both fields are
    /// required (as the CRD and the operator's reconciler require them).
    static func targetManifest(_ v: JSONValue?, _ field: String) throws(Problem) -> ExternalSecret.TargetManifest? {
        guard let v, v != .null else { return nil }
        guard case .object = v else { throw Problem(message: "\(field) must be a mapping with apiVersion and kind") }
        guard let apiVersion = string(v["apiVersion"]) else { throw Problem(message: "\(field).apiVersion is required") }
        guard let kind = string(v["kind"]) else { throw Problem(message: "\(field).kind is required") }
        if apiVersion.split(separator: "/", omittingEmptySubsequences: false).count > 2 || apiVersion.hasPrefix("/") || apiVersion.hasSuffix("/") {
            throw Problem(message: "\(field).apiVersion must be VERSION or GROUP/VERSION, not \(apiVersion)")
        }
        return ExternalSecret.TargetManifest(apiVersion: apiVersion, kind: kind)
    }

    /// - Parameter notes: what of the object is not followed, for warnings.
    static func externalSecret(
        kind: ExternalSecret.Kind, apiVersion: String? = nil, namespace: String?, name: String, spec: JSONValue, at loc: SourceLocation,
        notes: inout [String]
    ) throws(Problem) -> ExternalSecret {
        var es = ExternalSecret(kind: kind, namespace: namespace, name: name, stores: [], source: loc)
        switch kind {
        case .externalSecret:
            try externalSecretSpec(spec, into: &es, field: "spec", v1alpha1: isV1alpha1(apiVersion))
            es.secretName = string(spec["target"]?["name"]) ?? name
            es.creationPolicy = try creationPolicy(spec["target"]?["creationPolicy"], "spec.target.creationPolicy")
            es.manifest = try targetManifest(spec["target"]?["manifest"], "spec.target.manifest")
        case .clusterExternalSecret:
            guard let inner = spec["externalSecretSpec"] else { throw Problem(message: "spec.externalSecretSpec is required") }
            try externalSecretSpec(inner, into: &es, field: "spec.externalSecretSpec")
            es.secretName = string(inner["target"]?["name"]) ?? string(spec["externalSecretName"]) ?? name
            es.creationPolicy = try creationPolicy(inner["target"]?["creationPolicy"], "spec.externalSecretSpec.target.creationPolicy")
            es.manifest = try targetManifest(inner["target"]?["manifest"], "spec.externalSecretSpec.target.manifest")
            es.namespaces = try strings(spec["namespaces"], "spec.namespaces")
            if let one = spec["namespaceSelector"], one != .null { es.namespaceSelectors.append(try selector(one, "spec.namespaceSelector")) }
            if case .array(let sels)? = spec["namespaceSelectors"] {
                for s in sels { es.namespaceSelectors.append(try selector(s, "spec.namespaceSelectors[]")) }
            }
        case .pushSecret:
            var byLabels = 0
            if case .array(let refs)? = spec["secretStoreRefs"] {
                for r in refs {
                    // A store reference may select stores by their labels instead of a name.
                    if string(r["name"]) == nil, let sel = r["labelSelector"], sel != .null {
                        byLabels += 1
                        continue
                    }
                    if let ref = try storeRef(r, "spec.secretStoreRefs[]") { es.stores.append(ref) }
                }
            }
            if byLabels > 0 {
                notes.append("spec.secretStoreRefs: \(byLabels) reference\(byLabels == 1 ? "" : "s") select\(byLabels == 1 ? "s" : "") stores by labels, which rbacgraph does not follow (store labels are not read)")
            }
            if es.stores.isEmpty, byLabels == 0 { throw Problem(message: "spec.secretStoreRefs must name a store") }
            es.secretName = string(spec["selector"]?["secret"]?["name"])
            if es.secretName == nil, let sel = spec["selector"]?["secret"]?["selector"], sel != .null {
                notes.append("spec.selector.secret.selector pushes the Secrets its labels select, which rbacgraph does not follow (only a named Secret is)")
            }
            if case .array(let data)? = spec["data"] {
                for d in data { if let k = string(d["match"]?["remoteRef"]?["remoteKey"]) { es.remoteKeys.append(k) } }
            }
        }
        return es
    }

    // MARK: SecretProviderClass

    static func providerClass(namespace: String, name: String, spec: JSONValue, at loc: SourceLocation) throws(Problem) -> SecretProviderClass {
        guard let provider = string(spec["provider"]) else { throw Problem(message: "spec.provider is required") }
        var c = SecretProviderClass(namespace: namespace, name: name, provider: provider, source: loc)
        let params = spec["parameters"] ?? .null
        if provider == "vault" {
            c.vaultRole = string(params["roleName"])
            c.vaultAuthMount = string(params["vaultKubernetesMountPath"]) ?? "kubernetes"
        }
        // `objects` (vault, aws, azure) and `secrets` (gcp) are YAML written inside a string.
        for key in ["objects", "secrets"] {
            guard let text = string(params[key]) else { continue }
            guard let tree = try? YAMLTree.parse(Array(text.utf8)) else {
                throw Problem(message: "spec.parameters.\(key) is not YAML")
            }
            c.objects += objectNames(tree)
        }
        if case .array(let syncs)? = spec["secretObjects"] {
            c.syncedSecrets = syncs.compactMap { string($0["secretName"]) }
        }
        return c
    }

    /// The objects a provider's `objects` names: Vault `secretPath`, AWS and Azure `objectName`,
    /// GCP `resourceName`; Azure's `array:` of YAML strings is read too.
    static func objectNames(_ tree: JSONValue) -> [String] {
        switch tree {
        case .array(let items): return items.flatMap(objectNames)
        case .string(let s):
            guard let inner = try? YAMLTree.parse(Array(s.utf8)), inner != .string(s) else { return [] }
            return objectNames(inner)
        case .object:
            if let a = tree["array"] { return objectNames(a) }
            if let p = string(tree["secretPath"]) { return [p] }
            if let p = string(tree["resourceName"]) { return [p] }
            if let p = string(tree["objectName"]) { return [p] }
            return []
        default: return []
        }
    }
}
