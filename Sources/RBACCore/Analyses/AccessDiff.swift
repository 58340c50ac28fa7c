/// What a change does to access: `rbacgraph diff --base … --head …`.
///
/// The diff is defined by the authorizer's answers, not by the text of the objects: for every
/// identity and request it lists, ``AccessGraph/authorize(_:_:)`` on the base and the head
/// disagree, and for every request it does not list they agree.
///
/// ```swift
/// let diff = AccessDiff(base: AccessGraph(baseCluster), head: AccessGraph(headCluster))
/// for change in diff.identities { print(change.identity, change.scopes) }
/// ```
public struct AccessDiff: Sendable {
    /// Identities whose access changed, most dangerous first: sensitive access gained, any
    /// access gained, access lost only; then by name.
    public var identities: [IdentityChange]
    /// Every Role, ClusterRole and binding that differs between the two sides (added, deleted
    /// or modified), sorted by object.
    public var objectChanges: [ObjectChange]

    /// The report's findings introduced and resolved (paths to cluster-admin among them),
    /// when the caller compared reports (``FindingsDiff``).
    public var findings: FindingsDiff?

    /// Identities that newly reach (or no longer reach) cluster-admin, the secrets of a
    /// namespace, service accounts or other identities by a privilege path, or reach them more
    /// or less certainly, when the caller compared the escalation graphs
    /// (``compareReach(base:head:maxSteps:)``). Gains first; cluster-admin, then secrets, service accounts and single identities.
    public var paths: [PathChange] = []
    /// Secrets with readers gained and lost, directly and by a privilege path (filled by
    /// ``compareReach(base:head:maxSteps:)``).
    public var secretExposure: [SecretExposure] = []

    /// Whether no identity's access changed and no finding was introduced or resolved.
    public var isEmpty: Bool { identities.isEmpty && (findings?.isEmpty ?? true) && paths.isEmpty && secretExposure.isEmpty }

    /// The namespace the diff was restricted to (``restricted(toNamespace:)``), `nil` for all.
    public private(set) var namespace: String?
    /// After ``restricted(toNamespace:)``: the objects whose changes have access effects, all of
    /// them outside the namespace. They are not changes "without access effect".
    public private(set) var objectsWithEffectsElsewhere: Set<String> = []

    /// The objects some access change, path or secret reader names as its cause.
    var citedObjects: Set<String> {
        var cited = Set<String>()
        for i in identities {
            for s in i.scopes {
                for c in s.gained + s.lost { for cause in c.causes { cited.insert(cause.object) } }
            }
        }
        for p in paths { for cause in p.causes { cited.insert(cause.object) } }
        for e in secretExposure { for r in e.gained + e.lost { for cause in r.causes { cited.insert(cause.object) } } }
        return cited
    }

    /// Object changes that no access change names as its cause: reordered rules, reformatted
    /// or moved objects, bindings whose subjects are covered anyway. After
    /// ``restricted(toNamespace:)``, changes whose effects all lie outside the namespace are
    /// not among them (``objectsWithEffectsElsewhere``).
    public var objectChangesWithoutAccessEffect: [ObjectChange] {
        let cited = citedObjects
        return objectChanges.filter { !cited.contains($0.object) && !objectsWithEffectsElsewhere.contains($0.object) }
    }

    /// The diff as `diff -n NS` shows it: access changes of requests in `namespace` and
    /// cluster-wide ones, secrets and paths of that namespace or of every namespace. Object
    /// changes stay; those whose effects were all left out are counted apart.
    public func restricted(toNamespace namespace: String) -> AccessDiff {
        var d = self
        func kept(_ ns: String?) -> Bool { ns.map { $0.isExactly(namespace) } ?? true }
        d.identities = identities.compactMap { change in
            var c = change
            c.scopes = c.scopes.filter { kept($0.namespace) }
            return c.scopes.isEmpty ? nil : c
        }
        d.secretExposure = secretExposure.filter { kept($0.namespace) }
        d.paths = paths.filter { kept($0.namespace) }
        d.namespace = namespace
        d.objectsWithEffectsElsewhere = objectsWithEffectsElsewhere.union(citedObjects.subtracting(d.citedObjects))
        return d
    }
}

/// The access of one identity that changed, per scope.
public struct IdentityChange: Sendable {
    /// In rbacgraph's notation: `user:alice`, `group:devs`, `sa:ci/deployer`.
    public var identity: String
    /// The cluster-wide scope first (when it changed), then namespaces by name. Requests in a
    /// namespace with no entry of its own changed as the cluster-wide entry says.
    public var scopes: [ScopeChange]
    /// For a group, its members the input knows (service accounts of a namespace, …), from
    /// the head side.
    public var members: [String]

    /// Whether some gained access is sensitive.
    public var gainsSensitive: Bool { scopes.contains { $0.gained.contains { $0.sensitivity != nil } } }
    /// Whether some access is gained.
    public var gains: Bool { scopes.contains { !$0.gained.isEmpty } }
}

/// The access of an identity gained and lost in one scope.
public struct ScopeChange: Sendable {
    /// The namespace of the requests, `nil` for cluster-wide requests (no namespace), whose
    /// answer comes from ClusterRoleBindings alone.
    public var namespace: String?
    public var gained: [AccessChange]
    public var lost: [AccessChange]
    /// When the change is exactly that of a group of the identity (listed on its own):
    /// `group:system:authenticated`. The entries are kept, for completeness.
    public var sameAsGroup: String?

    /// The claim in a comparable form: two scopes with the same signature change the same
    /// requests the same way.
    var signature: Set<SignatureEntry> {
        Set(gained.map { SignatureEntry(gained: true, atom: $0.atom, except: Set($0.except)) }
            + lost.map { SignatureEntry(gained: false, atom: $0.atom, except: Set($0.except)) })
    }

    struct SignatureEntry: Hashable {
        var gained: Bool
        var atom: PermissionAtom
        var except: Set<PermissionAtom>
    }
}

/// Requests one side allows and the other does not: those ``atom`` allows, except those one
/// of ``except`` allows (the other side allows them too).
public struct AccessChange: Sendable {
    public var atom: PermissionAtom
    /// What the other side already allows inside ``atom``.
    public var except: [PermissionAtom]
    /// Why the access is dangerous (the escalation table's reason, `wildcard`), or `nil`.
    public var sensitivity: String?
    /// The object changes behind it.
    public var causes: [ObjectChange]

    /// Whether the change covers `request` (allowed on one side only, by this entry's claim).
    public func covers(_ request: Request) -> Bool {
        atom.rule.allows(request) && !except.contains { $0.rule.allows(request) }
    }
}

/// A difference in one RBAC object between the two sides, with where it is on each.
public struct ObjectChange: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The object exists on the head side only.
        case added
        /// The object exists on the base side only (a binding to it is left dangling).
        case deleted
        /// A binding names a subject it did not.
        case subjectAdded = "subject added"
        case subjectRemoved = "subject removed"
        /// A binding refers to another role.
        case roleRefChanged = "roleRef changed"
        /// A role holds a rule it did not.
        case ruleAdded = "rule added"
        case ruleRemoved = "rule removed"
        /// A ClusterRole's labels now make it aggregate into another.
        case aggregatesInto = "labels aggregate it into"
        /// A ClusterRole's labels no longer make it aggregate into another.
        case noLongerAggregatesInto = "labels no longer aggregate it into"
        /// Any other difference (rules reordered, labels, annotations, aggregation selectors).
        case modified
        /// The same object, now in another file or at another line.
        case moved
        /// A Namespace's `pod-security.kubernetes.io/enforce` label now admits more (a level
        /// lowered, or the label removed): privileged pods may be created there.
        case podSecurityRelaxed = "Pod Security relaxed"
        /// A Namespace's enforce label now admits less (a level raised, or a label added).
        case podSecurityTightened = "Pod Security tightened"
    }

    public var kind: Kind
    /// `ClusterRoleBinding/name`, `Role/ns/name`.
    public var object: String
    /// What changed, for people: the subject, the rule, `ClusterRole/view → ClusterRole/admin`.
    public var detail: String
    public var base: SourceLocation?
    public var head: SourceLocation?

    public init(kind: Kind, object: String, detail: String = "", base: SourceLocation? = nil, head: SourceLocation? = nil) {
        self.kind = kind
        self.object = object
        self.detail = detail
        self.base = base
        self.head = head
    }

    /// `ClusterRole/edit-widgets labels aggregate it into ClusterRole/edit (base a.yaml:1:1, head b.yaml:1:1)`.
    public var description: String {
        var s = "\(object) \(kind.rawValue)"
        if !detail.isEmpty {
            let aside: Set<Kind> = [.added, .deleted, .modified, .moved, .podSecurityRelaxed, .podSecurityTightened]
            s += aside.contains(kind) ? " (\(detail))" : " " + detail
        }
        let places = [base.map { "base \($0)" }, head.map { "head \($0)" }].compactMap { $0 }
        if !places.isEmpty { s += " [" + places.joined(separator: ", ") + "]" }
        return s
    }
}

extension AccessDiff {
    /// Compares what every identity may do on two sides.
    ///
    /// The identities are those either side names (binding subjects, known service accounts)
    /// and `group:system:authenticated`, which stands for every user neither side names. For
    /// each, the rules that apply cluster-wide and in every namespace with a RoleBinding naming
    /// it (on either side) are compared atom by atom (``PermissionAtom``).
    /// Identities no changed binding names (``ChangeReach``: bindings with the same subjects
    /// and the same rules on both sides) are skipped without comparing their rules: they meet
    /// the same rules on both sides.
    /// - Complexity: O(b · r) to find the changed bindings (b bindings, r rules each), then
    ///   O(i · s · r²) for the i identities they name, s scopes each and r atoms of their
    ///   rules, scopes with the same rules on both sides skipped in O(r).
    public init(base: AccessGraph, head: AccessGraph) {
        self.init(base: base, head: head, skipUnreached: true)
    }

    /// - Parameter skipUnreached: `false` compares every identity's rules (the tests check
    ///   that skipping changes nothing).
    init(base: AccessGraph, head: AccessGraph, skipUnreached: Bool) {
        let context = DiffContext(base: base, head: head)
        let reach = skipUnreached ? ChangeReach(base: base, head: head) : nil
        // Byte for byte: `user:zoë` composed and decomposed are two users to the authorizer.
        let names = (base.knownIdentities + head.knownIdentities + [IdentityNotation.format(.group, name: Identity.authenticatedGroup)])
            .exactlyDistinctSorted()
        // Each identity on its own, on every core.
        var changes = Parallel.map(names) { text -> IdentityChange? in
            guard let identity = try? Identity.impersonating(text), !identity.isMaster else { return nil }
            if let reach, !reach.reaches(identity) { return nil }
            return Self.change(of: identity, named: text, context: context)
        }.compactMap { $0 }
        Self.markGroupChanges(&changes)
        identities = changes.enumerated().sorted { a, b in
            let ra = a.element.gainsSensitive ? 0 : a.element.gains ? 1 : 2
            let rb = b.element.gainsSensitive ? 0 : b.element.gains ? 1 : 2
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        objectChanges = context.objectChanges()
    }

    /// The access of one identity that changed, per scope, or `nil` when none did.
    private static func change(of identity: Identity, named text: String, context: DiffContext) -> IdentityChange? {
        let base = context.base, head = context.head
        let namespaces = (base.roleBindingNamespaces(for: identity) + head.roleBindingNamespaces(for: identity)).exactlyDistinctSorted()
        // Cluster-wide first: a namespace is listed when its change differs from it.
        var scopes: [ScopeChange] = []
        var clusterWide: ScopeChange?
        for ns in [""] + namespaces {
            var scope = ScopeChange(namespace: ns.isEmpty ? nil : ns, gained: [], lost: [])
            let (baseRules, _) = base.rules(for: identity, in: ns)
            let (headRules, _) = head.rules(for: identity, in: ns)
            if Set(baseRules.map(\.rule)) != Set(headRules.map(\.rule)) {
                scope.gained = context.changes(from: baseRules, to: headRules, for: identity, in: ns, gaining: true)
                scope.lost = context.changes(from: headRules, to: baseRules, for: identity, in: ns, gaining: false)
            }
            if ns.isEmpty {
                clusterWide = scope
                if !scope.gained.isEmpty || !scope.lost.isEmpty { scopes.append(scope) }
            } else if scope.signature != clusterWide?.signature {
                scopes.append(scope)
            }
        }
        guard !scopes.isEmpty else { return nil }
        var members: [String] = []
        if let s = try? IdentityNotation.subject(parsing: text), s.isKind(.group) { members = head.knownMembers(ofGroup: s.name) }
        return IdentityChange(identity: text, scopes: scopes, members: members)
    }

    /// Marks each scope whose change is exactly that of one of the identity's groups.
    private static func markGroupChanges(_ changes: inout [IdentityChange]) {
        var byName: [String: Int] = [:]
        for (i, c) in changes.enumerated() { byName[c.identity] = i }
        for i in changes.indices {
            guard let identity = try? Identity.impersonating(changes[i].identity) else { continue }
            for j in changes[i].scopes.indices {
                let mine = changes[i].scopes[j].signature
                for g in identity.groups {
                    let name = IdentityNotation.format(.group, name: g)
                    guard name != changes[i].identity, let k = byName[name] else { continue }
                    let ns = changes[i].scopes[j].namespace
                    // A namespace the group has no entry for changed as its cluster-wide entry.
                    let theirs = changes[k].scopes.first { $0.namespace == ns } ?? changes[k].scopes.first { $0.namespace == nil }
                    if let theirs, theirs.signature == mine {
                        changes[i].scopes[j].sameAsGroup = name
                        break
                    }
                }
            }
        }
    }
}
