/// A Kubernetes label selector (`matchLabels` plus `matchExpressions`), as used by
/// `aggregationRule.clusterRoleSelectors`.
public struct LabelSelector: Hashable, Sendable, Codable {
    /// One `matchExpressions` entry.
    public struct Requirement: Hashable, Sendable, Codable {
        public var key: String
        /// `In`, `NotIn`, `Exists` or `DoesNotExist`; anything else is invalid.
        public var `operator`: String
        public var values: [String]

        public init(key: String, operator: String, values: [String] = []) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    /// `matchLabels`, in source order.
    public var matchLabels: [(key: String, value: String)] {
        get { matchLabelPairs.map { (key: $0.key, value: $0.value) } }
        set { matchLabelPairs = newValue.map { LabelPair(key: $0.key, value: $0.value) } }
    }
    public var matchExpressions: [Requirement]

    struct LabelPair: Hashable, Sendable, Codable {
        var key: String
        var value: String
    }
    var matchLabelPairs: [LabelPair]

    public init(matchLabels: [(key: String, value: String)] = [], matchExpressions: [Requirement] = []) {
        self.matchLabelPairs = matchLabels.map { LabelPair(key: $0.key, value: $0.value) }
        self.matchExpressions = matchExpressions
    }

    /// Whether the selector is `{}`, which matches every object.
    public var isEmpty: Bool { matchLabelPairs.isEmpty && matchExpressions.isEmpty }
}

/// A ClusterRole's `aggregationRule`.
public struct AggregationRule: Hashable, Sendable, Codable {
    public var clusterRoleSelectors: [LabelSelector]
    public init(clusterRoleSelectors: [LabelSelector]) {
        self.clusterRoleSelectors = clusterRoleSelectors
    }
}
