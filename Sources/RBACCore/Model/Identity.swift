/// Who is asking: a user name and the groups the authenticator gave it.
///
/// RBAC adds no groups itself. Use the factory methods to get the groups the API server's
/// authenticators add: ``serviceAccount(namespace:name:)`` and ``authenticatedUser(_:groups:)``.
public struct Identity: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var groups: [String]

    /// An identity with exactly these groups.
    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    public static let authenticatedGroup = "system:authenticated"
    public static let unauthenticatedGroup = "system:unauthenticated"
    public static let anonymousUser = "system:anonymous"
    public static let mastersGroup = "system:masters"
    /// The prefix of service-account user names (``ServiceAccountName/userNamePrefix``).
    public static let serviceAccountPrefix = ServiceAccountName.userNamePrefix

    /// A user as the API server sees it after authentication: `system:authenticated` is added
    /// unless the user is `system:anonymous` or already has `system:authenticated` or
    /// `system:unauthenticated` (the AuthenticatedGroupAdder).
    public static func authenticatedUser(_ name: String, groups: [String] = []) -> Identity {
        var groups = groups
        if !name.isExactly(anonymousUser), !groups.containsExactly(authenticatedGroup),
            !groups.containsExactly(unauthenticatedGroup)
        {
            groups.append(authenticatedGroup)
        }
        return Identity(name: name, groups: groups)
    }

    /// The anonymous user: `system:anonymous` in `system:unauthenticated`.
    public static var anonymous: Identity {
        Identity(name: anonymousUser, groups: [unauthenticatedGroup])
    }

    /// The identity of a service account token: user `system:serviceaccount:NS:NAME` in
    /// `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`.
    public static func serviceAccount(namespace: String, name: String) -> Identity {
        serviceAccount(ServiceAccountName(namespace: namespace, name: name))
    }

    /// The identity of a service account token (see ``serviceAccount(namespace:name:)``).
    public static func serviceAccount(_ sa: ServiceAccountName) -> Identity {
        Identity(name: sa.userName, groups: sa.groups + [authenticatedGroup])
    }

    /// Whether the identity is in `system:masters`, which the API server allows everything.
    public var isMaster: Bool { groups.containsExactly(Identity.mastersGroup) }

    /// For a service account user name, the service account.
    public var serviceAccount: ServiceAccountName? { ServiceAccountName(userName: name) }

    public var description: String {
        groups.isEmpty ? name : "\(name) (groups=[\(groups.joined(separator: " "))])"
    }
}
