/// rbacgraph's identity notation — `user:NAME`, `group:NAME`, `sa:NAMESPACE/NAME` — the form
/// every answer prints an identity in, read back wherever an identity is given (`--as`,
/// `--from`, `--ignore`, `--subject`, path targets, eval queries).
///
/// This is the one parser of that notation; ``PathNode/identity(parsing:)`` and the command
/// line go through it.
public enum IdentityNotation {
    /// The prefixes of the notation.
    public static let prefixes = ["user:", "group:", "sa:"]

    /// Why a text is not an identity in the notation.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Whether `text` starts with one of the notation's prefixes (and so is read as the
    /// notation, not as a plain user name).
    public static func hasPrefix(_ text: String) -> Bool {
        prefixes.contains { text.hasExactPrefix($0) }
    }

    /// The binding subject `text` names: `User`, `Group` or `ServiceAccount`. A user named
    /// `system:serviceaccount:NS:NAME` is that service account, as the API server sees it.
    public static func subject(parsing text: String) throws(ParseError) -> Subject {
        if text.hasExactPrefix("user:") {
            let name = String(text.dropFirst(5))
            guard !name.isEmpty else { throw ParseError("\"user:\" needs a name: user:NAME") }
            if let sa = Identity(name: name).serviceAccount, !sa.namespace.isEmpty, !sa.name.isEmpty {
                return .serviceAccount(sa.namespace, sa.name)
            }
            return .user(name)
        }
        if text.hasExactPrefix("group:") {
            let name = String(text.dropFirst(6))
            guard !name.isEmpty else { throw ParseError("\"group:\" needs a name: group:NAME") }
            return .group(name)
        }
        if text.hasExactPrefix("sa:") {
            let rest = text.dropFirst(3)
            guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex,
                !rest[rest.index(after: slash)...].contains("/")
            else {
                throw ParseError("\"sa:\" takes NAMESPACE/NAME, not \"\(rest)\"")
            }
            return .serviceAccount(String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
        }
        if text.isEmpty { throw ParseError("an identity is needed: user:NAME, group:NAME or sa:NAMESPACE/NAME") }
        throw ParseError("\"\(text)\" is not user:NAME, group:NAME or sa:NAMESPACE/NAME")
    }

    /// The one formatter of the notation: `user:NAME`, `group:NAME`, `sa:NAMESPACE/NAME`
    /// (the namespace is used by service accounts only). What ``subject(parsing:)`` reads back.
    public static func format(_ kind: SubjectKind, namespace: String = "", name: String) -> String {
        switch kind {
        case .user: return "user:" + name
        case .group: return "group:" + name
        case .serviceAccount: return "sa:" + namespace + "/" + name
        }
    }

    /// Whether `text` parses.
    public static func isValid(_ text: String) -> Bool {
        (try? subject(parsing: text)) != nil
    }
}

extension Identity {
    /// The identity the API server would see for `--as VALUE [--as-group G…]`, kubectl's flags
    /// with rbacgraph's notation accepted:
    ///
    /// - `user:NAME`, `group:NAME`, `sa:NAMESPACE/NAME` are read as the notation;
    /// - anything else is a user name, as kubectl's `--as` takes it (a user named
    ///   `system:serviceaccount:NS:NAME` is that service account's token).
    ///
    /// A user gets `system:authenticated` (the anonymous user `system:unauthenticated`), a
    /// service account its three groups; `group:NAME` is an authenticated member of that group
    /// whose user name no binding can match (an empty name). Groups are given with `--as-group`,
    /// which a service account cannot take (its groups are fixed by its token).
    ///
    /// - Throws: an empty value, a malformed notation, or groups with a service account.
    public static func impersonating(_ value: String, groups: [String] = []) throws(IdentityNotation.ParseError) -> Identity {
        if value.isEmpty {
            throw IdentityNotation.ParseError("--as needs a value: a user name, user:NAME, group:NAME or sa:NAMESPACE/NAME")
        }
        let subject: Subject = IdentityNotation.hasPrefix(value) ? try IdentityNotation.subject(parsing: value) : .user(value)
        switch subject.knownKind {
        case .serviceAccount:
            if !groups.isEmpty {
                throw IdentityNotation.ParseError("--as-group goes with a user or a group, not a service account (its groups come from its token)")
            }
            return .serviceAccount(namespace: subject.namespace, name: subject.name)
        case .group:
            return .authenticatedUser("", groups: [subject.name] + groups)
        case .user, nil:
            if let sa = Identity(name: subject.name).serviceAccount, groups.isEmpty {
                return .serviceAccount(namespace: sa.namespace, name: sa.name)
            }
            if subject.name.isExactly(anonymousUser) {
                return Identity(name: subject.name, groups: groups.isEmpty ? [unauthenticatedGroup] : groups)
            }
            return .authenticatedUser(subject.name, groups: groups)
        }
    }
}

extension Subject {
    /// The subject in rbacgraph's notation (``IdentityNotation/format(_:namespace:name:)``):
    /// `user:NAME`, `group:NAME`, `sa:NAMESPACE/NAME`; a subject of an unknown kind, which
    /// matches no one, as `KIND:NAME` with its kind verbatim.
    public var notation: String {
        guard let known = knownKind else { return kind + ":" + name }
        return IdentityNotation.format(known, namespace: namespace, name: name)
    }

    /// The name a table shows beside the kind: `NAMESPACE/NAME` for a service account, the
    /// name for any other kind.
    public var qualifiedName: String { isKind(.serviceAccount) ? namespace + "/" + name : name }

    /// `User alice`, `Group devs`, `ServiceAccount prod/api`: the kind verbatim and the
    /// ``qualifiedName``, as pictures and path JSON print a subject.
    public var displayName: String { kind + " " + qualifiedName }
}

extension ServiceAccountName {
    /// `sa:NAMESPACE/NAME`, rbacgraph's notation.
    public var notation: String { IdentityNotation.format(.serviceAccount, namespace: namespace, name: name) }
}

extension Identity {
    /// The identity in rbacgraph's notation as a principal: `sa:NAMESPACE/NAME` for a
    /// service account's token, `user:NAME` otherwise (its groups are not part of it).
    public var principalNotation: String {
        serviceAccount?.notation ?? IdentityNotation.format(.user, name: name)
    }
}
