/// Secrets kept outside Kubernetes and the objects that reach them: Vault (roles and
/// policies), the External Secrets Operator (stores, ExternalSecrets, PushSecrets) and the
/// Secrets Store CSI driver (SecretProviderClasses). No secret value is ever in here.
public struct ExternalInventory: Sendable, Hashable {
    public var vault = VaultInventory()
    public var stores: [SecretStore] = []
    public var externalSecrets: [ExternalSecret] = []
    public var providerClasses: [SecretProviderClass] = []
    /// The CustomResourceDefinitions of the input: the resources of the custom kinds
    /// ExternalSecrets write (``ExternalSecret/TargetManifest``). Not counted as objects.
    public var customResourceDefinitions: [CustomResourceDefinition] = []

    public init() {}

    public var isEmpty: Bool { vault.isEmpty && stores.isEmpty && externalSecrets.isEmpty && providerClasses.isEmpty }

    /// The number of objects (Vault roles and policies count as objects).
    public var objectCount: Int {
        vault.roles.count + vault.policies.count + stores.count + externalSecrets.count + providerClasses.count
    }

    public mutating func append(contentsOf other: ExternalInventory) {
        vault.append(contentsOf: other.vault)
        stores += other.stores
        externalSecrets += other.externalSecrets
        providerClasses += other.providerClasses
        customResourceDefinitions += other.customResourceDefinitions
    }

    /// The inventory with each ExternalSecret's `target.manifest` of a custom kind resolved by
    /// the input's CustomResourceDefinition of its group and kind (the last one wins):
    /// ``ExternalSecret/TargetManifest/definition``.
    public func resolvingTargetManifests() -> ExternalInventory {
        guard !customResourceDefinitions.isEmpty else { return self }
        var out = self
        for i in out.externalSecrets.indices {
            guard let m = out.externalSecrets[i].manifest, !m.group.isEmpty else { continue }
            out.externalSecrets[i].manifest?.definition = customResourceDefinitions.last { $0.group == m.group && $0.kind == m.kind }
        }
        return out
    }

    /// The store an ExternalSecret in `namespace` means by `ref` (a SecretStore of its own
    /// namespace, or a ClusterSecretStore); the last definition wins.
    public func store(_ ref: StoreReference, from namespace: String) -> SecretStore? {
        stores.last { s in
            s.name.isExactly(ref.name) && s.kind == ref.kind
                && (s.kind == .clusterSecretStore || (s.namespace ?? "").isExactly(namespace))
        }
    }
}

/// A credential an External Secrets store authenticates with: a service account whose token
/// it requests, or a Secret holding static credentials (a token, keys, a certificate).
public struct StoreCredential: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case serviceAccount
        case secret
    }

    public var kind: Kind
    public var name: String
    /// The namespace as written; `nil`: the store's own namespace for a SecretStore, the
    /// namespace of the ExternalSecret using it for a ClusterSecretStore (as ESO resolves it).
    public var namespace: String?
    /// Where in the store it is written: `spec.provider.vault.auth.kubernetes.serviceAccountRef`.
    public var field: String
    /// A Secret's `key`: which of its keys holds the credential (the key's name, never its
    /// value); `nil` for a service account or when not written.
    public var key: String?

    public init(kind: Kind, name: String, namespace: String? = nil, field: String, key: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.field = field
        self.key = key
    }
}

/// A `SecretStore` or `ClusterSecretStore` (external-secrets.io).
public struct SecretStore: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case secretStore = "SecretStore"
        case clusterSecretStore = "ClusterSecretStore"
    }

    /// One entry of a ClusterSecretStore's `spec.conditions`: its fields are ORed, and so
    /// are the entries.
    public struct Condition: Hashable, Sendable {
        public var namespaces: [String] = []
        public var namespaceSelector: LabelSelector?
        /// Go regular expressions, unanchored (`prod` matches `preprod`).
        public var namespaceRegexes: [String] = []

        public init(namespaces: [String] = [], namespaceSelector: LabelSelector? = nil, namespaceRegexes: [String] = []) {
            self.namespaces = namespaces
            self.namespaceSelector = namespaceSelector
            self.namespaceRegexes = namespaceRegexes
        }
    }

    /// What a Vault provider block says: where the store reads and how it logs in.
    public struct VaultProvider: Hashable, Sendable {
        /// `server`.
        public var server: String?
        /// `path`: the KV mount (`secret`); `nil` when not written.
        public var mount: String?
        /// `version`: `v2` (the default) or `v1`.
        public var version: String
        /// The auth method block under `auth` (`kubernetes`, `tokenSecretRef`, `appRole`, `jwt`, …).
        public var authMethod: String?
        /// `auth.kubernetes.mountPath` (default `kubernetes`) or `auth.jwt.path`.
        public var authMount: String?
        /// `auth.kubernetes.role` or `auth.jwt.role`.
        public var role: String?

        public init(server: String? = nil, mount: String? = nil, version: String = "v2", authMethod: String? = nil, authMount: String? = nil, role: String? = nil) {
            self.server = server
            self.mount = mount
            self.version = version
            self.authMethod = authMethod
            self.authMount = authMount
            self.role = role
        }

        /// The Vault path a remote key names: `MOUNT/data/KEY` for KV version 2, `MOUNT/KEY` for 1.
        public func path(ofKey key: String) -> String? {
            guard let mount else { return nil }
            var k = Substring(key)
            while k.first == "/" { k = k.dropFirst() }
            // A key may already name the mount (ESO strips it when it starts with it).
            if k.hasPrefix(mount + "/") { k = k.dropFirst(mount.count + 1) }
            if version == "v1" { return "\(mount)/\(k)" }
            if k.hasPrefix("data/") { return "\(mount)/\(k)" }
            return "\(mount)/data/\(k)"
        }
    }

    public var kind: Kind
    /// `nil` for a ClusterSecretStore.
    public var namespace: String?
    public var name: String
    /// The provider block's name under `spec.provider`: `vault`, `aws`, `gcpsm`, `azurekv`, `kubernetes`, …
    public var provider: String
    /// Every service account and Secret the provider's auth block names.
    public var credentials: [StoreCredential]
    /// A ClusterSecretStore's `spec.conditions`; empty: every namespace.
    public var conditions: [Condition]
    /// The Vault provider's settings, for `provider: vault`.
    public var vault: VaultProvider?
    public var source: SourceLocation?

    public init(
        kind: Kind, namespace: String?, name: String, provider: String, credentials: [StoreCredential] = [],
        conditions: [Condition] = [], vault: VaultProvider? = nil, source: SourceLocation? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.provider = provider
        self.credentials = credentials
        self.conditions = conditions
        self.vault = vault
        self.source = source
    }

    /// `store:NS/NAME` or `clusterstore:NAME`.
    public var targetName: String {
        kind == .clusterSecretStore ? "clusterstore:\(name)" : "store:\(namespace ?? "")/\(name)"
    }

    /// Whether an ExternalSecret in `namespace` may use the store: a SecretStore serves its
    /// own namespace; a ClusterSecretStore every namespace when it has no conditions, else
    /// those any condition admits.
    /// - Parameter labels: the namespace's labels, `nil` when the input has no such Namespace.
    /// - Returns: `.unknown` when only a selector could admit it and the labels are unknown,
    ///   or a regular expression cannot be read.
    public func serves(namespace ns: String, labels: [String: String]?) -> VaultMatch {
        if kind == .secretStore { return (namespace ?? "").isExactly(ns) ? .yes : .no }
        if conditions.isEmpty { return .yes }
        var unknown = false
        for c in conditions {
            if c.namespaces.containsExactly(ns) { return .yes }
            for pattern in c.namespaceRegexes {
                switch GoRegex.matches(pattern, ns) {
                case .yes: return .yes
                case .unknown: unknown = true
                case .no: break
                }
            }
            if let selector = c.namespaceSelector {
                guard var l = labels else {
                    unknown = true
                    continue
                }
                if l["kubernetes.io/metadata.name"] == nil { l["kubernetes.io/metadata.name"] = ns }
                if (try? selector.matches(l)) == true { return .yes }
            }
        }
        return unknown ? .unknown : .no
    }

    /// The namespace a credential is read in for an ExternalSecret in `namespace`.
    public func credentialNamespace(_ c: StoreCredential, usedFrom ns: String) -> String {
        switch kind {
        case .secretStore: return namespace ?? ns
        case .clusterSecretStore: return c.namespace ?? ns
        }
    }

    /// Whether a ClusterSecretStore's credentials are read in each user's namespace (a
    /// "referent" store: a reference without a namespace).
    public var isReferent: Bool { kind == .clusterSecretStore && credentials.contains { $0.namespace == nil } }
}

/// A store reference: `spec.secretStoreRef` (kind defaults to SecretStore).
public struct StoreReference: Hashable, Sendable {
    public var kind: SecretStore.Kind
    public var name: String

    public init(kind: SecretStore.Kind, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// An `ExternalSecret`, `ClusterExternalSecret` or `PushSecret` (external-secrets.io).
public struct ExternalSecret: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case externalSecret = "ExternalSecret"
        case clusterExternalSecret = "ClusterExternalSecret"
        case pushSecret = "PushSecret"
    }

    public var kind: Kind
    /// `nil` for a ClusterExternalSecret.
    public var namespace: String?
    public var name: String
    public var stores: [StoreReference]
    /// `data[].remoteRef.key` and `dataFrom[].extract.key` (for a PushSecret: `data[].match.remoteRef.remoteKey`).
    public var remoteKeys: [String]
    /// Whether `dataFrom[].find` reads every key matching a pattern.
    public var findsKeys: Bool
    /// The Kubernetes Secret it writes (ExternalSecret: `spec.target.name`, default its own
    /// name) or, for a PushSecret, the Secret it pushes.
    public var secretName: String?
    /// `spec.target.creationPolicy`: whether the operator creates the Secret.
    public var creationPolicy: CreationPolicy = .owner
    /// `spec.target.manifest`: the kind of object the operator writes instead of a Secret
    /// (a ConfigMap, a custom resource); `nil`: a Secret.
    public var manifest: TargetManifest?
    /// ClusterExternalSecret: `namespaces`, `namespaceSelectors` (ORed).
    public var namespaces: [String]
    public var namespaceSelectors: [LabelSelector]
    public var source: SourceLocation?

    public init(
        kind: Kind, namespace: String?, name: String, stores: [StoreReference], remoteKeys: [String] = [],
        findsKeys: Bool = false, secretName: String? = nil, namespaces: [String] = [],
        namespaceSelectors: [LabelSelector] = [], source: SourceLocation? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.stores = stores
        self.remoteKeys = remoteKeys
        self.findsKeys = findsKeys
        self.secretName = secretName
        self.namespaces = namespaces
        self.namespaceSelectors = namespaceSelectors
        self.source = source
    }
}

extension ExternalSecret {
    /// `spec.target.creationPolicy`, as the operator's reconciler acts on it
    /// (`pkg/controllers/externalsecret/externalsecret_controller.go`).
    public enum CreationPolicy: String, Hashable, Sendable, CaseIterable {
        /// The default: the operator creates the Secret (owned by the ExternalSecret) or updates it.
        case owner = "Owner"
        /// As `Owner`, without the owner reference: the Secret outlives the ExternalSecret.
        case orphan = "Orphan"
        /// The operator writes its keys into a Secret that must exist already; it never
        /// creates one (a missing Secret is an error of the ExternalSecret).
        case merge = "Merge"
        /// The operator writes no Secret at all.
        case none = "None"
        /// The operator creates the Secret when it does not exist, and writes its keys into
        /// the one that exists otherwise (keeping its other keys).
        case createOrMerge = "CreateOrMerge"

        /// Whether the operator creates the Secret when it does not exist.
        public var creates: Bool { self == .owner || self == .orphan || self == .createOrMerge }
        /// Whether the operator writes what the store reads into a Secret (new or existing).
        public var writes: Bool { self != .none }
    }
}

extension ExternalSecret {
    /// `spec.target.manifest`: with it the operator (run with `--unsafe-allow-generic-targets`)
    /// writes what the store reads into an object of that kind instead of a Secret — named
    /// `spec.target.name` (by default the ExternalSecret's), in the ExternalSecret's namespace
    /// (`pkg/controllers/externalsecret/externalsecret_controller_manifest.go`): a ConfigMap's
    /// `data`, another kind's `spec.data` (or where its template puts it). Whoever may read
    /// that object reads the values; readers of Secrets do not, through this ExternalSecret.
    public struct TargetManifest: Hashable, Sendable, CustomStringConvertible {
        /// `apiVersion`: `v1`, `argoproj.io/v1alpha1`.
        public var apiVersion: String
        /// `kind`: `ConfigMap`, `Application`.
        public var kind: String
        /// The input's CustomResourceDefinition of the kind, when it holds one
        /// (``ExternalInventory/resolvingTargetManifests()``): its plural is the resource.
        public var definition: CustomResourceDefinition?

        public init(apiVersion: String, kind: String) {
            self.apiVersion = apiVersion
            self.kind = kind
        }

        /// The API group: what `apiVersion` has before its `/` (none: the core group).
        public var group: String {
            guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
            return String(apiVersion[..<slash])
        }

        /// Whether the object is a Secret after all (`v1`, `Secret`).
        public var isSecret: Bool { group.isEmpty && kind == "Secret" }

        /// The resource RBAC names for the kind: its CustomResourceDefinition's plural, else
        /// the built-in table's (``APIResource/resource(ofKind:group:in:)``), and whether it is
        /// guessed (neither holds the kind).
        public var resource: (name: String, guessed: Bool) {
            if let d = definition { return (d.plural, false) }
            let r = APIResource.resource(ofKind: kind, group: group)
            return (r.name, r.known == nil)
        }

        /// The resource as `kubectl` and `can:` targets take it: `configmaps`,
        /// `applications.argoproj.io`.
        public var typedResource: String { group.isEmpty ? resource.name : "\(resource.name).\(group)" }

        /// Whether a mounted volume of a pod may hold the object (a ConfigMap).
        public var podMountable: Bool { group.isEmpty && kind == "ConfigMap" }

        /// `ConfigMap`, `Application (argoproj.io/v1alpha1)`.
        public var description: String { group.isEmpty ? kind : "\(kind) (\(apiVersion))" }
    }

    /// Whether what it writes is a Kubernetes Secret (no `target.manifest`, or one of kind
    /// Secret).
    public var writesSecret: Bool { manifest?.isSecret ?? true }
}

/// A `SecretProviderClass` (secrets-store.csi.x-k8s.io): what a pod mounting a
/// `secrets-store.csi.k8s.io` volume of it gets, read with the pod's own service account.
public struct SecretProviderClass: Hashable, Sendable {
    public var namespace: String
    public var name: String
    /// `spec.provider`: `vault`, `aws`, `azure`, `gcp`, …
    public var provider: String
    /// Vault: `parameters.roleName`.
    public var vaultRole: String?
    /// Vault: `parameters.vaultKubernetesMountPath` (default `kubernetes`).
    public var vaultAuthMount: String?
    /// The objects it names: Vault `secretPath`, AWS and Azure `objectName`, GCP `resourceName`.
    public var objects: [String]
    /// `spec.secretObjects[].secretName`: Kubernetes Secrets it syncs the objects into.
    public var syncedSecrets: [String]
    public var source: SourceLocation?

    public init(
        namespace: String, name: String, provider: String, vaultRole: String? = nil, vaultAuthMount: String? = nil,
        objects: [String] = [], syncedSecrets: [String] = [], source: SourceLocation? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.provider = provider
        self.vaultRole = vaultRole
        self.vaultAuthMount = vaultAuthMount
        self.objects = objects
        self.syncedSecrets = syncedSecrets
        self.source = source
    }
}
