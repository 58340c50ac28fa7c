/// A Vault capability set: what a policy path grants (`vault policy` documentation,
/// "Capabilities"). `deny` overrides every other capability of the same path.
public struct VaultCapabilities: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let deny = VaultCapabilities(rawValue: 1 << 0)
    public static let create = VaultCapabilities(rawValue: 1 << 1)
    public static let read = VaultCapabilities(rawValue: 1 << 2)
    public static let update = VaultCapabilities(rawValue: 1 << 3)
    public static let delete = VaultCapabilities(rawValue: 1 << 4)
    public static let list = VaultCapabilities(rawValue: 1 << 5)
    public static let sudo = VaultCapabilities(rawValue: 1 << 6)
    public static let patch = VaultCapabilities(rawValue: 1 << 7)

    /// The capabilities that change data: create, update, patch, delete.
    public static let write: VaultCapabilities = [.create, .update, .patch, .delete]

    /// Every capability by its name in a policy, in Vault's order.
    public static let named: [(name: String, capability: VaultCapabilities)] = [
        ("deny", .deny), ("create", .create), ("read", .read), ("update", .update), ("delete", .delete),
        ("list", .list), ("sudo", .sudo), ("patch", .patch),
    ]

    /// The capability called `name` in a policy; `nil` for an unknown word.
    public init?(name: String) {
        guard let c = Self.named.first(where: { $0.name.isExactly(name) }) else { return nil }
        self = c.capability
    }

    /// The names of the capabilities held, in Vault's order.
    public var names: [String] { Self.named.filter { contains($0.capability) }.map(\.name) }

    public var description: String { names.joined(separator: ",") }

    /// What the legacy `policy = "…"` words of a path mean (Vault maps them so).
    public static func legacy(_ word: String) -> VaultCapabilities? {
        switch word {
        case "deny": return .deny
        case "read": return [.read, .list]
        case "write": return [.create, .read, .update, .delete, .list]
        case "sudo": return [.create, .read, .update, .delete, .list, .sudo]
        default: return nil
        }
    }
}

/// One `path "…" { … }` stanza of a Vault ACL policy.
public struct VaultPathRule: Hashable, Sendable {
    /// The path as written, less a leading `/` (Vault strips it): may end in `*` (a prefix),
    /// hold `+` segments, and `{{…}}` identity templates.
    public var path: String
    public var capabilities: VaultCapabilities
    /// Whether the stanza limits its capabilities further (allowed, denied or required
    /// parameters, wrapping TTLs, MFA, a control group): a grant that may still refuse some
    /// requests.
    public var isConditional: Bool
    public var source: SourceLocation?

    public init(path: String, capabilities: VaultCapabilities, isConditional: Bool = false, source: SourceLocation? = nil) {
        self.path = path
        self.capabilities = capabilities
        self.isConditional = isConditional
        self.source = source
    }

    /// Whether the path holds an identity template (`{{identity.…}}`).
    public var isTemplated: Bool { path.contains("{{") }
}

/// A Vault ACL policy: what `vault policy read NAME` prints, parsed.
public struct VaultPolicy: Hashable, Sendable {
    public var name: String
    public var rules: [VaultPathRule]
    public var source: SourceLocation?

    public init(name: String, rules: [VaultPathRule], source: SourceLocation? = nil) {
        self.name = name
        self.rules = rules
        self.source = source
    }
}

/// A role of a Vault Kubernetes auth mount: what `vault read auth/MOUNT/role/NAME` prints.
///
/// A service account logs in with it when its name matches `bound_service_account_names`
/// and its namespace `bound_service_account_namespaces` or (ORed) the namespace selector;
/// its token holds the role's policies and, unless `token_no_default_policy`, `default`.
public struct VaultRole: Hashable, Sendable {
    /// The auth mount's path without `auth/` and the trailing slash: `kubernetes`.
    public var mount: String
    public var name: String
    /// `bound_service_account_names`: names or globs (`*` anywhere); `["*"]` is any name.
    public var boundNames: [String]
    /// `bound_service_account_namespaces`: namespaces or globs; `["*"]` is any namespace.
    public var boundNamespaces: [String]
    /// `bound_service_account_namespace_selector`, ORed with ``boundNamespaces``.
    public var namespaceSelector: LabelSelector?
    /// `token_policies` and the legacy `policies`, without duplicates, in order.
    public var policies: [String]
    public var noDefaultPolicy: Bool
    public var audience: String?
    /// `alias_name_source`: `serviceaccount_uid` (the default) or `serviceaccount_name`.
    public var aliasNameSource: String
    /// The role's file (its start).
    public var source: SourceLocation?
    /// Where each field is written (its key), for the fields the file has.
    public var fieldSources: [Field: SourceLocation] = [:]
    /// Where each entry of ``boundNames`` and ``boundNamespaces`` is written, in their order
    /// (the entries of a comma-separated string share its position).
    public var entrySources: [Field: [SourceLocation]] = [:]

    /// The fields of a role that rbacgraph reads, by their name in Vault.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case boundNames = "bound_service_account_names"
        case boundNamespaces = "bound_service_account_namespaces"
        case namespaceSelector = "bound_service_account_namespace_selector"
        case tokenPolicies = "token_policies"
        case policies = "policies"
        case noDefaultPolicy = "token_no_default_policy"
        case audience = "audience"
        case aliasNameSource = "alias_name_source"
    }

    /// Where `field` is written, or where its first entry `entry` is (`*` in
    /// `bound_service_account_names`); the role's file when the input does not say.
    public func source(of field: Field, entry: String? = nil) -> SourceLocation? {
        if let entry, let index = (field == .boundNames ? boundNames : field == .boundNamespaces ? boundNamespaces : []).firstIndex(where: { $0.isExactly(entry) }),
            let at = entrySources[field], index < at.count
        {
            return at[index]
        }
        return fieldSources[field] ?? source
    }

    public init(
        mount: String, name: String, boundNames: [String], boundNamespaces: [String],
        namespaceSelector: LabelSelector? = nil, policies: [String], noDefaultPolicy: Bool = false,
        audience: String? = nil, aliasNameSource: String = "serviceaccount_uid", source: SourceLocation? = nil
    ) {
        self.mount = mount
        self.name = name
        self.boundNames = boundNames
        self.boundNamespaces = boundNamespaces
        self.namespaceSelector = namespaceSelector
        self.policies = policies
        self.noDefaultPolicy = noDefaultPolicy
        self.audience = audience
        self.aliasNameSource = aliasNameSource
        self.source = source
    }

    /// `auth/MOUNT/role/NAME`, as Vault names it.
    public var path: String { "auth/\(mount)/role/\(name)" }

    /// The policies of a token this role issues: its own, and `default` unless
    /// `token_no_default_policy`.
    public var tokenPolicies: [String] {
        var out = policies
        if !noDefaultPolicy && !out.contains(where: { $0.isExactly("default") }) { out.append("default") }
        return out
    }

    /// Whether a name or namespace list admits anything (`*` as its first entry, as the
    /// plugin checks, or any entry that is `*`).
    static func isWildcard(_ list: [String]) -> Bool { list.contains { $0.isExactly("*") } }

    /// Whether the role binds every service account name (`*`).
    public var bindsAnyName: Bool { Self.isWildcard(boundNames) }
    /// Whether the role binds every namespace (`*`).
    public var bindsAnyNamespace: Bool { Self.isWildcard(boundNamespaces) }

    /// Whether service account `sa` may log in with this role, given the labels of its
    /// namespace (`nil`: the input has no Namespace object of that name).
    ///
    /// As the Kubernetes auth plugin decides: the name must match a bound name (glob), the
    /// namespace a bound namespace (glob) or else the selector.
    /// - Returns: `.yes`, `.no`, or `.unknown` when only the selector could admit it and the
    ///   namespace's labels are not in the input.
    public func admits(_ sa: ServiceAccountName, namespaceLabels: [String: String]?) -> VaultMatch {
        guard bindsAnyName || boundNames.contains(where: { VaultGlob.matches($0, sa.name) }) else { return .no }
        if bindsAnyNamespace || boundNamespaces.contains(where: { VaultGlob.matches($0, sa.namespace) }) { return .yes }
        guard let selector = namespaceSelector else { return .no }
        guard var labels = namespaceLabels else { return .unknown }
        // The API server labels every namespace with its own name.
        if labels["kubernetes.io/metadata.name"] == nil { labels["kubernetes.io/metadata.name"] = sa.namespace }
        return ((try? selector.matches(labels)) ?? false) ? .yes : .no
    }
}

/// A yes/no answer that the input may not be enough to give.
public enum VaultMatch: String, Hashable, Sendable {
    case yes, no, unknown
}

/// The globs of the Kubernetes auth plugin's bound names and namespaces
/// (`strutil.StrListContainsGlob`): `*` anywhere stands for any run of characters.
public enum VaultGlob {
    /// Whether `subject` matches `pattern`, byte for byte.
    public static func matches(_ pattern: String, _ subject: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(subject.utf8)
        if p == [UInt8(ascii: "*")] { return true }
        let parts = p.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
        if parts.count == 1 { return p == s }
        let first = parts[0], last = parts[parts.count - 1]
        guard s.count >= first.count + last.count, s.starts(with: first), s.suffix(last.count).elementsEqual(last) else {
            return false
        }
        var i = first.count
        let end = s.count - last.count
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = find(part, in: s, from: i, before: end) else { return false }
            i = found + part.count
        }
        return true
    }

    private static func find(_ needle: ArraySlice<UInt8>, in hay: [UInt8], from: Int, before end: Int) -> Int? {
        guard needle.count <= end - from else { return nil }
        var i = from
        while i + needle.count <= end {
            if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
