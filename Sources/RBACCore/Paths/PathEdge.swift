/// A runtime fact a step depends on, beyond RBAC.
public struct PathCondition: Hashable, Sendable {
    /// What must be true, e.g. "a pod runs as prod/api".
    public var text: String
    /// `true`: the input shows it holds; `false`: the input shows it does not; `nil`: the
    /// input does not tell.
    public var observed: Bool?

    public init(_ text: String, observed: Bool?) {
        self.text = text
        self.observed = observed
    }
}

/// The RBAC grant behind a step: a rule of a role, and the binding that gives it (none for a
/// role one would bind oneself, reached by `bind` or `escalate`).
public struct StepEvidence: Hashable, Sendable {
    /// The role (``AccessGraph/roles``).
    public var role: RoleID
    /// The rule's position in the role's (aggregated) rules.
    public var ruleIndex: Int
    /// The binding; `nil` for a held role (``PathNode/holder(role:in:)``).
    public var binding: BindingID?
    /// The binding's subject that matched.
    public var subject: Subject?
    /// What the rule was needed for, e.g. `create pods`.
    public var purpose: String
}

/// One step of a privilege path.
public struct PathEdge: Hashable, Sendable {
    /// The nodes it joins (``EscalationGraph/nodes``).
    public var from: NodeID
    public var to: NodeID
    public var kind: EscalationKind
    /// The namespace the step works in; `nil` when cluster-wide or not scoped.
    public var namespace: String?
    /// The grants that allow it (empty for structural steps).
    public var evidence: [StepEvidence]
    /// `nil` when the step is certain.
    public var condition: PathCondition?

    public init(
        from: NodeID, to: NodeID, kind: EscalationKind, namespace: String? = nil, evidence: [StepEvidence] = [],
        condition: PathCondition? = nil
    ) {
        self.from = from
        self.to = to
        self.kind = kind
        self.namespace = namespace
        self.evidence = evidence
        self.condition = condition
    }

    /// Whether the step follows from RBAC alone.
    public var isCertain: Bool { condition == nil }
}
