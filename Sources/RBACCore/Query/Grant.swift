/// The evidence behind an answer: which subject of which binding, which role, which rule.
public struct Grant: Hashable, Sendable {
    /// The subject as written in the binding, with a ServiceAccount's namespace filled in from
    /// a RoleBinding when it was left empty.
    public var subject: Subject
    /// The binding (``AccessGraph/bindings``).
    public var binding: BindingID
    /// The role it resolves to (``AccessGraph/roles``).
    public var role: RoleID
    /// Index into the role's (aggregated) rules.
    public var ruleIndex: Int

    public init(subject: Subject, binding: BindingID, role: RoleID, ruleIndex: Int) {
        self.subject = subject
        self.binding = binding
        self.role = role
        self.ruleIndex = ruleIndex
    }
}

/// The answer to "may this identity make this request?".
public struct Decision: Hashable, Sendable {
    /// Whether the API server would allow the request.
    public var allowed: Bool
    /// Allowed because the identity is in `system:masters` (ahead of RBAC).
    public var viaMasters: Bool
    /// For an RBAC allow, the first grant found (list order), as the authorizer names it.
    public var grant: Grant?
    /// Errors met while resolving the identity's bindings (missing roles), deduplicated.
    public var errors: [String]
    /// The reason string the Kubernetes authorizer gives.
    public var reason: String
}

/// A rule that applies to an identity, with where it comes from.
public struct RuleGrant: Hashable, Sendable {
    public var rule: PolicyRule
    public var grant: Grant

    public init(rule: PolicyRule, grant: Grant) {
        self.rule = rule
        self.grant = grant
    }
}
