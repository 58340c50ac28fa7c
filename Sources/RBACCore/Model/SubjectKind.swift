/// The three kinds of binding subject Kubernetes knows: `User`, `Group` and `ServiceAccount`.
///
/// A ``Subject`` keeps its kind verbatim (``Subject/kind``) because Kubernetes compares it byte
/// for byte: any other spelling, even `user`, matches no one. ``Subject/knownKind`` reads the
/// verbatim string into this enum, `nil` for such a spelling, so code switches over the three
/// kinds instead of comparing strings.
public enum SubjectKind: String, Hashable, Sendable, CaseIterable, Codable {
    case user = "User"
    case group = "Group"
    case serviceAccount = "ServiceAccount"

    /// The kind `text` spells byte for byte; `nil` for any other text (`user`, `Users`, a
    /// canonically equivalent but different spelling).
    public init?(exactly text: String) {
        let kind: SubjectKind
        switch text.utf8.count {
        case 4: kind = .user
        case 5: kind = .group
        case 14: kind = .serviceAccount
        default: return nil
        }
        guard text.isExactly(kind.rawValue) else { return nil }
        self = kind
    }

    /// The `apiGroup` Kubernetes writes for a subject of this kind: `rbac.authorization.k8s.io`
    /// for users and groups, empty for service accounts.
    public var apiGroup: String { self == .serviceAccount ? "" : "rbac.authorization.k8s.io" }
}

extension Subject {
    /// A subject of a known kind (``SubjectKind/apiGroup`` unless given).
    public init(_ kind: SubjectKind, name: String, namespace: String = "", apiGroup: String? = nil) {
        self.init(kind: kind.rawValue, name: name, namespace: namespace, apiGroup: apiGroup ?? kind.apiGroup)
    }

    /// The kind ``kind`` spells byte for byte; `nil` when it is none of the three (such a subject
    /// matches no one).
    public var knownKind: SubjectKind? { SubjectKind(exactly: kind) }

    /// Whether ``kind`` is `kind`, byte for byte.
    public func isKind(_ kind: SubjectKind) -> Bool { self.kind.isExactly(kind.rawValue) }
}
