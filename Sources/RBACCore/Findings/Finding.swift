/// How bad a finding is. `--fail-on` compares with it.
public enum Severity: Int, Comparable, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case info = 0
    case low
    case medium
    case high
    case critical

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .info: return "info"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .critical: return "critical"
        }
    }

    public init?(name: String) {
        guard let s = Severity.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = s
    }
}

/// An object a finding is about: a binding, a role, a service account, a workload…
public struct ObjectRef: Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var namespace: String?
    public var name: String
    /// Where the object was written, for SARIF and editors.
    public var source: SourceLocation?

    public init(kind: String, namespace: String? = nil, name: String, source: SourceLocation? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.source = source
    }

    /// The object's kind, namespace and name as a byte-exact key (a cluster-scoped object's
    /// namespace `""`).
    public var key: ObjectKey { ObjectKey(kind: kind, namespace: namespace ?? "", name: name) }

    /// `Kind/name` or `Kind/namespace/name`: the form baselines (`--ignore`) use.
    public var description: String {
        namespace.map { "\(kind)/\($0)/\(name)" } ?? "\(kind)/\(name)"
    }

    public init(_ role: Role) {
        self.init(kind: role.kind.rawValue, namespace: role.namespace, name: role.name, source: role.source)
    }

    public init(_ binding: Binding) {
        self.init(kind: binding.kind.rawValue, namespace: binding.namespace, name: binding.name, source: binding.source)
    }
}

/// One problem found: which rule, how bad, about what, and the evidence.
public struct Finding: Hashable, Sendable {
    /// The rule's stable id (`secrets-read`, `escalation-path`, …).
    public var ruleID: String
    public var severity: Severity
    /// What is wrong here, in one sentence.
    public var message: String
    /// The principal concerned, as `user:NAME`, `group:NAME` or `sa:NS/NAME`, when there is one.
    public var principal: String?
    /// The object the finding is about (its source is the finding's location).
    public var object: ObjectRef
    /// Further objects involved (the bindings and roles behind a grant, …).
    public var related: [ObjectRef]
    /// Evidence lines for people (grants, path steps).
    public var evidence: [String]
    /// For escalation findings: the path, as JSON (the shape of `rbacgraph paths -o json`).
    public var path: JSONValue?

    /// Made only by ``FindingRule/finding(severity:message:principal:object:related:evidence:path:)``.
    fileprivate init(
        ruleID: String, severity: Severity, message: String, principal: String?, object: ObjectRef,
        related: [ObjectRef], evidence: [String], path: JSONValue?
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.principal = principal
        self.object = object
        self.related = related
        self.evidence = evidence
        self.path = path
    }

    /// The key a baseline entry (`--ignore`) matches: rule id and object.
    public var baselineKey: String { "\(ruleID) \(object)" + (principal.map { " \($0)" } ?? "") }
}

extension FindingRule {
    /// A finding of this rule (its id), at `severity` (the rule's own unless lower).
    public func finding(
        severity: Severity, message: String, principal: String? = nil, object: ObjectRef,
        related: [ObjectRef] = [], evidence: [String] = [], path: JSONValue? = nil
    ) -> Finding {
        Finding(
            ruleID: id, severity: severity, message: message, principal: principal, object: object, related: related,
            evidence: evidence, path: path)
    }
}
