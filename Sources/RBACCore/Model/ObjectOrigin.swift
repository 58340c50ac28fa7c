/// Where an RBAC object of the graph comes from: the input, or the API server's built-in
/// (bootstrap) policy, which it creates at start-up whatever the manifests say.
///
/// Answers resting only on ``builtIn`` objects are true but not news: a manifest repository did
/// not write them, every cluster has them. Gates (`report --fail-on`, `escalations
/// --fail-if-any`) leave them out; the answers mark them.
public enum ObjectOrigin: String, Hashable, Sendable, Codable {
    /// Written in the input, and left as written.
    case input
    /// Added from the built-in policy: the input has no object of that name. Unmodified.
    case builtIn = "built-in"
    /// Written in the input, and united with the built-in object of the same name as the API
    /// server's start-up reconciliation does (missing rules, selectors, labels, subjects added).
    case reconciled

    /// Whether the object is the built-in one, untouched by the input.
    public var isBuiltIn: Bool { self == .builtIn }
}
