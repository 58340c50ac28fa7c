// Which subjects of a binding name a user: `appliesTo` of
// `pkg/registry/rbac/validation/rule.go`, and the groups the authenticators add
// (docs/semantics.md §3).

import RBACCore
import Testing

struct SubjectCase: Sendable, CustomTestStringConvertible {
    var note: String
    var subject: Subject
    /// The binding's namespace; `""` for a ClusterRoleBinding.
    var bindingNamespace: String
    var identity: Identity
    var applies: Bool

    init(_ note: String, _ subject: Subject, in bindingNamespace: String, _ identity: Identity, _ applies: Bool) {
        self.note = note
        self.subject = subject
        self.bindingNamespace = bindingNamespace
        self.identity = identity
        self.applies = applies
    }

    var testDescription: String { note }
}

@Suite("§3 Subjects")
struct SubjectMatchingTests {
    static let sa = Identity.serviceAccount(namespace: "prod", name: "api")

    /// User and Group compare names exactly; their apiGroup and namespace are ignored, and `*`
    /// is not a wildcard.
    static let usersAndGroups: [SubjectCase] = [
        SubjectCase("User: equal name", .user("alice"), in: "", Identity(name: "alice"), true),
        SubjectCase("User: other name", .user("alice"), in: "", Identity(name: "bob"), false),
        SubjectCase("User: case-sensitive", .user("Alice"), in: "", Identity(name: "alice"), false),
        SubjectCase("User: apiGroup and namespace ignored", Subject(kind: "User", name: "alice", namespace: "elsewhere", apiGroup: "bogus.io"), in: "team", Identity(name: "alice"), true),
        SubjectCase("User: * is not a wildcard", .user("*"), in: "", Identity(name: "alice"), false),
        SubjectCase("User: * names the user called *", .user("*"), in: "", Identity(name: "*"), true),
        SubjectCase("User: a group of that name does not count", .user("devs"), in: "", Identity(name: "alice", groups: ["devs"]), false),
        SubjectCase("User: a service account's user name matches", .user("system:serviceaccount:prod:api"), in: "", sa, true),
        SubjectCase("Group: member", .group("devs"), in: "", Identity(name: "alice", groups: ["ops", "devs"]), true),
        SubjectCase("Group: not a member", .group("devs"), in: "", Identity(name: "alice", groups: ["ops"]), false),
        SubjectCase("Group: a user of that name is not a member", .group("devs"), in: "", Identity(name: "devs"), false),
        SubjectCase("Group: * is not a wildcard", .group("*"), in: "", Identity(name: "alice", groups: ["devs"]), false),
        SubjectCase("Group: apiGroup and namespace ignored", Subject(kind: "Group", name: "devs", namespace: "x", apiGroup: ""), in: "team", Identity(name: "alice", groups: ["devs"]), true),
        SubjectCase("Group: system:authenticated holds authenticated users", .group("system:authenticated"), in: "", alice, true),
        SubjectCase("Group: system:authenticated does not hold anonymous", .group("system:authenticated"), in: "", .anonymous, false),
        SubjectCase("Group: system:unauthenticated holds anonymous", .group("system:unauthenticated"), in: "", .anonymous, true),
        SubjectCase("Group: system:serviceaccounts:NS holds that namespace's SAs", .group("system:serviceaccounts:prod"), in: "", sa, true),
        SubjectCase("Group: system:serviceaccounts:NS only that namespace", .group("system:serviceaccounts:dev"), in: "", sa, false),
    ]

    /// ServiceAccount: the user name must be `system:serviceaccount:NS:NAME`, NS being the
    /// subject's namespace or, when empty, the RoleBinding's. With both empty (a
    /// ClusterRoleBinding) the subject never matches. Groups play no part.
    static let serviceAccounts: [SubjectCase] = [
        SubjectCase("SA with namespace, in a ClusterRoleBinding", .serviceAccount("prod", "api"), in: "", sa, true),
        SubjectCase("SA with namespace, in a RoleBinding elsewhere", .serviceAccount("prod", "api"), in: "other", sa, true),
        SubjectCase("SA: another namespace's SA of the same name", .serviceAccount("prod", "api"), in: "", .serviceAccount(namespace: "dev", name: "api"), false),
        SubjectCase("SA: another name", .serviceAccount("prod", "api"), in: "", .serviceAccount(namespace: "prod", name: "web"), false),
        SubjectCase("SA without namespace takes the RoleBinding's", .serviceAccount("", "api"), in: "prod", sa, true),
        SubjectCase("SA without namespace: not another namespace's SA", .serviceAccount("", "api"), in: "dev", sa, false),
        SubjectCase("SA without namespace in a ClusterRoleBinding never matches", .serviceAccount("", "api"), in: "", sa, false),
        SubjectCase("SA without namespace in a ClusterRoleBinding: not even an empty-namespace user name", .serviceAccount("", "api"), in: "", Identity(name: "system:serviceaccount::api"), false),
        SubjectCase("SA: the user name alone is enough (no groups)", .serviceAccount("prod", "api"), in: "", Identity(name: "system:serviceaccount:prod:api"), true),
        SubjectCase("SA: the groups alone are not", .serviceAccount("prod", "api"), in: "", Identity(name: "mallory", groups: ["system:serviceaccounts", "system:serviceaccounts:prod"]), false),
        SubjectCase("SA: a User named api is not the SA", .serviceAccount("prod", "api"), in: "", Identity(name: "api"), false),
    ]

    /// Any other kind, even a lower-case spelling of a valid one, matches no one.
    static let otherKinds: [SubjectCase] = [
        SubjectCase("kind user", Subject(kind: "user", name: "alice"), in: "", Identity(name: "alice"), false),
        SubjectCase("kind USER", Subject(kind: "USER", name: "alice"), in: "", Identity(name: "alice"), false),
        SubjectCase("kind group", Subject(kind: "group", name: "devs"), in: "", Identity(name: "alice", groups: ["devs"]), false),
        SubjectCase("kind serviceaccount", Subject(kind: "serviceaccount", name: "api", namespace: "prod"), in: "", sa, false),
        SubjectCase("kind Serviceaccount", Subject(kind: "Serviceaccount", name: "api", namespace: "prod"), in: "prod", sa, false),
        SubjectCase("empty kind", Subject(kind: "", name: "alice"), in: "", Identity(name: "alice"), false),
        SubjectCase("unknown kind", Subject(kind: "Robot", name: "alice"), in: "", Identity(name: "alice"), false),
    ]

    @Test("User and Group", arguments: usersAndGroups)
    func userAndGroup(_ c: SubjectCase) {
        #expect(c.subject.applies(to: c.identity, bindingNamespace: c.bindingNamespace) == c.applies)
    }

    @Test("ServiceAccount", arguments: serviceAccounts)
    func serviceAccount(_ c: SubjectCase) {
        #expect(c.subject.applies(to: c.identity, bindingNamespace: c.bindingNamespace) == c.applies)
    }

    @Test("other kinds never match", arguments: otherKinds)
    func otherKind(_ c: SubjectCase) {
        #expect(c.subject.applies(to: c.identity, bindingNamespace: c.bindingNamespace) == c.applies)
    }

    /// The AuthenticatedGroupAdder appends `system:authenticated` to every user except
    /// `system:anonymous` and users that already have `system:authenticated` or
    /// `system:unauthenticated`; RBAC itself adds nothing.
    @Test(
        "authenticated users get system:authenticated",
        arguments: [
            ("alice", [], ["system:authenticated"]),
            ("alice", ["devs"], ["devs", "system:authenticated"]),
            ("alice", ["system:authenticated", "devs"], ["system:authenticated", "devs"]),
            ("alice", ["system:unauthenticated"], ["system:unauthenticated"]),
            ("system:anonymous", [], []),
            ("system:anonymous", ["system:unauthenticated"], ["system:unauthenticated"]),
        ] as [(String, [String], [String])])
    func authenticatedGroupAdder(name: String, groups: [String], expected: [String]) {
        let identity = Identity.authenticatedUser(name, groups: groups)
        #expect(identity.name == name)
        #expect(identity.groups == expected)
    }

    @Test("identities are exactly what the authenticators produce")
    func identities() {
        // Without the adder, an identity has exactly the groups it is given.
        #expect(Identity(name: "alice").groups == [])
        // Anonymous requests: system:anonymous in system:unauthenticated only.
        #expect(Identity.anonymous == Identity(name: "system:anonymous", groups: ["system:unauthenticated"]))
        // A service-account token.
        let sa = Identity.serviceAccount(namespace: "prod", name: "api")
        #expect(sa.name == "system:serviceaccount:prod:api")
        #expect(sa.groups == ["system:serviceaccounts", "system:serviceaccounts:prod", "system:authenticated"])
        #expect(sa.serviceAccount?.namespace == "prod")
        #expect(sa.serviceAccount?.name == "api")
        #expect(Identity(name: "alice").serviceAccount == nil)
        // system:masters is a group: a user named so is not a master.
        #expect(Identity(name: "root", groups: ["system:masters"]).isMaster)
        #expect(!Identity(name: "system:masters").isMaster)
    }

    /// How a subject is reported: a ServiceAccount without namespace gets the RoleBinding's;
    /// subjects that can match no one have no effective form.
    @Test("effective subjects")
    func effective() {
        #expect(Subject.serviceAccount("", "api").effective(bindingNamespace: "prod") == .serviceAccount("prod", "api"))
        #expect(Subject.serviceAccount("dev", "api").effective(bindingNamespace: "prod") == .serviceAccount("dev", "api"))
        #expect(Subject.serviceAccount("", "api").effective(bindingNamespace: "") == nil)
        #expect(Subject(kind: "user", name: "alice").effective(bindingNamespace: "prod") == nil)
        #expect(Subject.user("alice").effective(bindingNamespace: "prod") == .user("alice"))
        // The printed form of reasons: name before namespace for service accounts.
        #expect(Subject.serviceAccount("prod", "api").description == #"ServiceAccount "api/prod""#)
        #expect(Subject.user("alice").description == #"User "alice""#)
        #expect(Subject.group("devs").description == #"Group "devs""#)
    }
}
