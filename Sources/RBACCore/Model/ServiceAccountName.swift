/// A service account by namespace and name, and the names Kubernetes derives from it: the
/// user name of its tokens (`system:serviceaccount:NS:NAME`) and its groups
/// (`system:serviceaccounts`, `system:serviceaccounts:NS`).
///
/// The one place these names are built and parsed. Compares and hashes byte for byte.
public struct ServiceAccountName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The prefix of service-account user names.
    public static let userNamePrefix = "system:serviceaccount:"
    /// The group of every service account.
    public static let allServiceAccountsGroup = "system:serviceaccounts"

    /// The service account a user name stands for (`system:serviceaccount:NS:NAME`, split at
    /// the first colon after the prefix, as the API server's `SplitUsername` does); `nil` for
    /// any other user name.
    public init?(userName: String) {
        guard userName.hasExactPrefix(Self.userNamePrefix) else { return nil }
        let rest = userName.dropFirst(Self.userNamePrefix.count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        self.init(namespace: String(rest[..<colon]), name: String(rest[rest.index(after: colon)...]))
    }

    /// The user name of its tokens: `system:serviceaccount:NS:NAME`.
    public var userName: String { Self.userNamePrefix + namespace + ":" + name }

    /// The group of the service accounts of a namespace: `system:serviceaccounts:NS`.
    public static func namespaceGroup(_ namespace: String) -> String { allServiceAccountsGroup + ":" + namespace }

    /// The groups the authenticator gives its tokens, `system:authenticated` aside.
    public var groups: [String] { [Self.allServiceAccountsGroup, Self.namespaceGroup(namespace)] }

    /// Byte-exact equality of namespace and name.
    public static func == (a: Self, b: Self) -> Bool { a.namespace.isExactly(b.namespace) && a.name.isExactly(b.name) }

    public func hash(into h: inout Hasher) {
        namespace.hashExactly(into: &h)
        name.hashExactly(into: &h)
    }

    /// In the order of `NS/NAME` strings.
    public static func < (a: Self, b: Self) -> Bool { a.description < b.description }

    /// `NS/NAME`.
    public var description: String { "\(namespace)/\(name)" }
}
