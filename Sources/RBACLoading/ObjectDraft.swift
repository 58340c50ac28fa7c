import RBACCore

/// An object decoded from one mapping of the input, before validation: every field any kept
/// kind needs, whatever the kind turns out to be (`kind:` may come after the fields).
struct ObjectDraft {
    var location: SourceLocation
    var apiVersion: String?
    var kind: String?
    var name: String?
    var namespace: String?
    var labels: [String: String] = [:]
    var annotations: [String: String] = [:]
    var rules: [RuleDraft]?
    /// EncryptionConfiguration `resources`.
    var encryption: [EncryptionConfiguration.ResourceEncryption]?
    /// Audit Policy `omitStages`.
    var omitStages: [String] = []
    var aggregationRule: AggregationRule?
    var roleRef: (apiGroup: String?, kind: String?, name: String?)?
    var subjects: [Subject]?
    /// The pod-spec fields (a Pod's or a workload's), once a `spec` was read for them; nil
    /// for every other object, so that the draft of a Role or a binding carries no pod
    /// template to initialise, copy and destroy.
    var podSpec: PodDraft?
    var pod: PodDraft {
        get { podSpec ?? PodDraft() }
        set { podSpec = newValue }
    }
    var type: String?
    var serviceAccountSecrets: [String] = []
    var automountServiceAccountToken: Bool?
    /// A list's `metadata.continue`: where the next page starts (API server lists).
    var listContinue: String?
    /// The `spec` of an External Secrets or Secrets Store CSI object, as a tree.
    var externalSpec: JSONValue?
    /// Whether `spec` came before `kind` (then an external object's spec was not read).
    var specBeforeKind = false
    /// A CustomResourceDefinition's `spec.group`, `spec.names.plural`, `spec.names.kind`, `spec.scope`.
    var crd: (group: String?, plural: String?, kind: String?, scope: String?)?
    /// Set when a field had the wrong shape: the object is rejected.
    var invalid = false
}

/// A `rules[]` entry: an RBAC PolicyRule or an audit Policy rule (the kind may come later).
struct RuleDraft {
    var rule = PolicyRule()
    /// Where `resources` held mappings (audit form) or strings (RBAC form).
    var location: SourceLocation
    var resourcesWereMappings = false
    /// The fields only audit Policy rules have; `nil` when the rule has none (RBAC rules:
    /// a draft stays small to copy).
    private var auditFields: AuditFields?

    init(location: SourceLocation) {
        self.location = location
    }

    /// The audit Policy fields (empty when the rule has none).
    var audit: AuditFields {
        get { auditFields ?? AuditFields() }
        set { auditFields = newValue }
    }

    // The audit fields, read through `audit`.
    var level: String? { audit.level }
    var users: [String] { audit.users }
    var userGroups: [String] { audit.userGroups }
    var namespaces: [String] { audit.namespaces }
    var omitStages: [String] { audit.omitStages }
    var groupResources: [AuditPolicy.GroupResources] { audit.groupResources }

    struct AuditFields {
        var level: String?
        var users: [String] = []
        var userGroups: [String] = []
        var namespaces: [String] = []
        var omitStages: [String] = []
        var groupResources: [AuditPolicy.GroupResources] = []
    }
}

/// The pod-spec fields of a Pod or a workload's pod template.
struct PodDraft {
    var serviceAccountName: String?
    var serviceAccount: String?
    var template = PodTemplate()
}
