/// An API server `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`, or the older
/// `EncryptionConfig` of `v1`): how resources are encrypted at rest. Key material is never
/// loaded: only which providers are listed, in order.
public struct EncryptionConfiguration: Hashable, Sendable {
    /// One `resources[]` entry.
    public struct ResourceEncryption: Hashable, Sendable {
        /// The resources it applies to (`secrets`, `*.*`, …).
        public var resources: [String]
        /// The providers in order: the first one encrypts new writes.
        public var providers: [Provider]

        public init(resources: [String], providers: [Provider]) {
            self.resources = resources
            self.providers = providers
        }
    }

    /// A provider entry: its type and, for KMS, the KMS API version.
    public struct Provider: Hashable, Sendable {
        /// `identity`, `aescbc`, `aesgcm`, `secretbox`, `kms`.
        public var type: String
        /// For `kms`: `v1` or `v2` (`v1` when not written).
        public var kmsAPIVersion: String?
        /// The number of keys listed (their values are never read).
        public var keyCount: Int

        public init(type: String, kmsAPIVersion: String? = nil, keyCount: Int = 0) {
            self.type = type
            self.kmsAPIVersion = kmsAPIVersion
            self.keyCount = keyCount
        }
    }

    public var resources: [ResourceEncryption]
    public var source: SourceLocation?

    public init(resources: [ResourceEncryption], source: SourceLocation? = nil) {
        self.resources = resources
        self.source = source
    }

    /// The entry that governs Secrets: the first whose resources name `secrets`, `*.` (every
    /// core resource) or `*.*`, as the API server picks it.
    public var secretsEncryption: ResourceEncryption? {
        resources.first { $0.resources.contains { $0 == "secrets" || $0 == "*." || $0 == "*.*" } }
    }
}

/// An audit `Policy` (`audit.k8s.io/v1`): what the API server logs, and at what level.
public struct AuditPolicy: Hashable, Sendable {
    /// One `rules[]` entry: the first rule matching a request sets its level.
    public struct Rule: Hashable, Sendable {
        /// `None`, `Metadata`, `Request` or `RequestResponse`.
        public var level: String
        public var users: [String]
        public var userGroups: [String]
        public var verbs: [String]
        /// `resources[]`: group, resources, resourceNames.
        public var resources: [GroupResources]
        public var namespaces: [String]
        public var nonResourceURLs: [String]
        public var omitStages: [String]

        public init(
            level: String, users: [String] = [], userGroups: [String] = [], verbs: [String] = [],
            resources: [GroupResources] = [], namespaces: [String] = [], nonResourceURLs: [String] = [],
            omitStages: [String] = []
        ) {
            self.level = level
            self.users = users
            self.userGroups = userGroups
            self.verbs = verbs
            self.resources = resources
            self.namespaces = namespaces
            self.nonResourceURLs = nonResourceURLs
            self.omitStages = omitStages
        }
    }

    /// `rules[].resources[]`.
    public struct GroupResources: Hashable, Sendable {
        public var group: String
        public var resources: [String]
        public var resourceNames: [String]

        public init(group: String = "", resources: [String] = [], resourceNames: [String] = []) {
            self.group = group
            self.resources = resources
            self.resourceNames = resourceNames
        }
    }

    public var rules: [Rule]
    public var omitStages: [String]
    public var source: SourceLocation?

    public init(rules: [Rule], omitStages: [String] = [], source: SourceLocation? = nil) {
        self.rules = rules
        self.omitStages = omitStages
        self.source = source
    }
}
