/// A `CustomResourceDefinition` (`apiextensions.k8s.io`): the resource RBAC names for a custom
/// kind, as `spec.names.plural` and `spec.scope` define it. Used for the objects an
/// ExternalSecret writes (`spec.target.manifest`), whose resource is otherwise guessed from
/// the kind.
public struct CustomResourceDefinition: Hashable, Sendable {
    /// `spec.group`: `argoproj.io`.
    public var group: String
    /// `spec.names.kind`: `Application`.
    public var kind: String
    /// `spec.names.plural`: `applications`.
    public var plural: String
    /// `spec.scope`: `Namespaced` (`true`) or `Cluster`.
    public var namespaced: Bool
    public var source: SourceLocation?

    public init(group: String, kind: String, plural: String, namespaced: Bool, source: SourceLocation? = nil) {
        self.group = group
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.source = source
    }
}
