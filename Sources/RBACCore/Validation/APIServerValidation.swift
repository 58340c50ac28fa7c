/// What the Kubernetes API server's validation would refuse in an RBAC object
/// (`pkg/apis/rbac/validation`): a resource rule without `apiGroups`, `nonResourceURLs` in a
/// Role, a subject of an unknown kind, a ServiceAccount subject without namespace in a
/// ClusterRoleBinding, a name that cannot be a path segment, and the rest of that file.
///
/// Such an object can sit in a manifest repository but never exists in a cluster: `kubectl
/// apply` fails on it. rbacgraph still evaluates it as written (as the authorizer would if it
/// existed) and says so; each problem carries the API server's own field path and message:
/// ```swift
/// for problem in APIServerValidation.problems(in: role) {
///     print(problem)  // rules[0].apiGroups: Required value: resource rules must supply at least one api group
/// }
/// ```
/// Objects are checked as the API server sees them after defaulting: a `User` or `Group`
/// subject with no `apiGroup` gets `rbac.authorization.k8s.io` (so is valid), as does a
/// `roleRef` without one.
public enum APIServerValidation {
    /// One field the API server would refuse, as `field.Error` prints it.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The field path: `rules[0].apiGroups`, `subjects[1].kind`, `metadata.name`.
        public var field: String
        /// The message after the path: `Required value: …`, `Unsupported value: "Robot": …`.
        public var message: String
        /// The rule concerned, for problems under `rules[i]`.
        public var ruleIndex: Int?

        public init(field: String, message: String, ruleIndex: Int? = nil) {
            self.field = field
            self.message = message
            self.ruleIndex = ruleIndex
        }

        /// `field: message`, the API server's wording.
        public var description: String { "\(field): \(message)" }

        static func required(_ field: String, _ detail: String = "", rule: Int? = nil) -> Problem {
            Problem(field: field, message: "Required value" + (detail.isEmpty ? "" : ": \(detail)"), ruleIndex: rule)
        }

        static func invalid(_ field: String, _ value: String, _ detail: String, rule: Int? = nil) -> Problem {
            Problem(field: field, message: "Invalid value: \(value): \(detail)", ruleIndex: rule)
        }

        static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> Problem {
            Problem(field: field, message: "Unsupported value: \(goQuote(value)): supported values: "
                + supported.map(goQuote).joined(separator: ", "))
        }
    }

    /// An object of the input the API server would refuse, and why.
    public struct Refusal: Hashable, Sendable {
        /// `Role/dev/name`, `ClusterRoleBinding/name`: the object's ``Role/displayName`` or
        /// ``Binding/displayName``.
        public var object: String
        /// The namespace of a Role or RoleBinding; nil for cluster-scoped objects.
        public var namespace: String?
        public var source: SourceLocation?
        public var problems: [Problem]

        public init(object: String, namespace: String?, source: SourceLocation?, problems: [Problem]) {
            self.object = object
            self.namespace = namespace
            self.source = source
            self.problems = problems
        }
    }

    /// The pass over a whole cluster: every Role, ClusterRole and binding the API server would
    /// refuse, in input order.
    public static func refusals(in cluster: Cluster) -> [Refusal] {
        var out: [Refusal] = []
        for role in cluster.roles {
            let p = problems(in: role)
            if !p.isEmpty { out.append(Refusal(object: role.displayName, namespace: role.namespace, source: role.source, problems: p)) }
        }
        for binding in cluster.bindings {
            let p = problems(in: binding)
            if !p.isEmpty { out.append(Refusal(object: binding.displayName, namespace: binding.namespace, source: binding.source, problems: p)) }
        }
        return out
    }

    /// The refusals an answer about `request` rests on: those of the objects that grant it
    /// (`granting`, display names), and every other one that could have changed it —
    /// cluster-scoped objects, and those of the request's namespace (of every namespace when
    /// `anyNamespace`, as `who-can -A` asks). Granting objects come first.
    public static func refusals(
        _ refusals: [Refusal], bearingOn request: Request, anyNamespace: Bool = false, granting: Set<String> = []
    ) -> [Refusal] {
        let namespace: String
        switch request {
        case .resource(let r): namespace = r.namespace
        case .nonResource: namespace = ""
        }
        let bearing = refusals.filter { r in
            granting.contains(r.object) || r.namespace == nil || anyNamespace || r.namespace == namespace
        }
        return bearing.filter { granting.contains($0.object) } + bearing.filter { !granting.contains($0.object) }
    }

    /// The problems of a Role or ClusterRole, in the API server's order.
    public static func problems(in role: Role) -> [Problem] {
        var out = metadata(name: role.name, namespace: role.namespace)
        let namespaced = role.kind == .role
        for i in role.rules.indices {
            // Most rules have verbs, apiGroups and resources and no nonResourceURLs: nothing
            // to report, known from the counts alone (no copy of the rule).
            if !role.rules[i].verbs.isEmpty && role.rules[i].nonResourceURLs.isEmpty
                && !role.rules[i].apiGroups.isEmpty && !role.rules[i].resources.isEmpty { continue }
            let p = problems(in: role.rules[i], namespaced: namespaced, index: i)
            if !p.isEmpty { out += p }
        }
        if let aggregation = role.aggregationRule, aggregation.clusterRoleSelectors.isEmpty {
            out.append(.required(
                "aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"))
        }
        return out
    }

    /// The problems of a RoleBinding or ClusterRoleBinding, in the API server's order.
    public static func problems(in binding: Binding) -> [Problem] {
        var out = metadata(name: binding.name, namespace: binding.namespace)
        let namespaced = binding.kind == .roleBinding
        let group = "rbac.authorization.k8s.io"
        let apiGroup = binding.roleRef.apiGroup.isEmpty ? group : binding.roleRef.apiGroup
        if apiGroup != group { out.append(.notSupported("roleRef.apiGroup", apiGroup, [group])) }
        let kind = binding.roleRef.kind
        if !(kind == "ClusterRole" || (namespaced && kind == "Role")) {
            out.append(.notSupported("roleRef.kind", kind, namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]))
        }
        if binding.roleRef.name.isEmpty {
            out.append(.required("roleRef.name"))
        } else {
            for m in pathSegmentProblems(binding.roleRef.name) {
                out.append(.invalid("roleRef.name", goQuote(binding.roleRef.name), m))
            }
        }
        for i in binding.subjects.indices {
            let p = problems(in: binding.subjects[i], namespaced: namespaced, index: i)
            if !p.isEmpty { out += p }
        }
        return out
    }

    // MARK: The checks

    static func metadata(name: String, namespace: String?) -> [Problem] {
        // The common case, without building anything: a valid name and namespace.
        if !name.isEmpty, !hasPathSegmentProblems(name), namespace.map({ !$0.isEmpty && isDNS1123LabelOfValidLength($0) }) ?? true {
            return []
        }
        var out: [Problem] = []
        if name.isEmpty {
            out.append(.required("metadata.name", "name or generateName is required"))
        } else {
            for m in pathSegmentProblems(name) { out.append(.invalid("metadata.name", goQuote(name), m)) }
        }
        if let namespace {
            if namespace.isEmpty {
                out.append(.required("metadata.namespace"))
            } else {
                for m in dns1123LabelProblems(namespace) { out.append(.invalid("metadata.namespace", goQuote(namespace), m)) }
            }
        }
        return out
    }

    /// The problems of `rules[index]` (its field path is built only for a problem).
    static func problems(in rule: PolicyRule, namespaced: Bool, index: Int) -> [Problem] {
        var out: [Problem] = []
        var path: String { "rules[\(index)]" }
        if rule.verbs.isEmpty { out.append(.required("\(path).verbs", "verbs must contain at least one value", rule: index)) }
        if !rule.nonResourceURLs.isEmpty {
            let value = goStringSlice(rule.nonResourceURLs)
            if namespaced {
                out.append(.invalid("\(path).nonResourceURLs", value, "namespaced rules cannot apply to non-resource URLs", rule: index))
            }
            if !rule.apiGroups.isEmpty || !rule.resources.isEmpty || !rule.resourceNames.isEmpty {
                out.append(.invalid("\(path).nonResourceURLs", value, "rules cannot apply to both regular resources and non-resource URLs", rule: index))
            }
            return out
        }
        if rule.apiGroups.isEmpty {
            out.append(.required("\(path).apiGroups", "resource rules must supply at least one api group", rule: index))
        }
        if rule.resources.isEmpty {
            out.append(.required("\(path).resources", "resource rules must supply at least one resource", rule: index))
        }
        return out
    }

    /// The problems of `subjects[index]` (its field path is built only for a problem).
    static func problems(in s: Subject, namespaced: Bool, index: Int) -> [Problem] {
        var out: [Problem] = []
        var path: String { "subjects[\(index)]" }
        let group = "rbac.authorization.k8s.io"
        if s.name.isEmpty { out.append(.required("\(path).name")) }
        switch s.knownKind {
        case .serviceAccount:
            if !s.name.isEmpty {
                for m in dns1123SubdomainProblems(s.name) { out.append(.invalid("\(path).name", goQuote(s.name), m)) }
            }
            if !s.apiGroup.isEmpty { out.append(.notSupported("\(path).apiGroup", s.apiGroup, [""])) }
            if !namespaced && s.namespace.isEmpty { out.append(.required("\(path).namespace")) }
        case .user, .group:
            let apiGroup = s.apiGroup.isEmpty ? group : s.apiGroup  // defaulted
            if apiGroup != group { out.append(.notSupported("\(path).apiGroup", apiGroup, [group])) }
        case nil:
            out.append(.notSupported("\(path).kind", s.kind, ["ServiceAccount", "User", "Group"]))
        }
        return out
    }

    // MARK: Names (k8s.io/apimachinery)

    /// Whether ``pathSegmentProblems(_:)`` finds something (without building the messages).
    static func hasPathSegmentProblems(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { b in
            if b.count <= 2 && !b.isEmpty && b.allSatisfy({ $0 == 0x2E }) { return true }  // "." or ".."
            for c in b where c == 0x2F || c == 0x25 { return true }
            return false
        }
    }

    /// A name the REST path can carry: not `.` or `..`, no `/` or `%`.
    static func pathSegmentProblems(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        var slash = false, percent = false
        for c in name.utf8 {  // bytes: no Character iteration
            if c == 0x2F { slash = true } else if c == 0x25 { percent = true }
        }
        if !slash && !percent { return [] }
        var out: [String] = []
        if slash { out.append("may not contain '/'") }
        if percent { out.append("may not contain '%'") }
        return out
    }

    static let labelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"

    static func isDNS1123Label(_ s: Substring.UTF8View) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) }
        return alnum(first) && alnum(last) && s.allSatisfy { alnum($0) || $0 == 0x2d }
    }

    /// Dot-separated DNS-1123 labels (one pass over the bytes: no substrings).
    static func isDNS1123Subdomain(_ s: String) -> Bool {
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) }
        var previous: UInt8 = 0x2e  // a label starts: as after a dot
        for c in s.utf8 {
            if c == 0x2e {
                if !alnum(previous) { return false }  // an empty label, or one ending in '-'
            } else if c == 0x2d {
                if previous == 0x2e { return false }  // a label starting with '-'
            } else if !alnum(c) {
                return false
            }
            previous = c
        }
        return alnum(previous)
    }

    /// Whether ``dns1123LabelProblems(_:)`` finds nothing: a DNS-1123 label of at most 63
    /// bytes (one pass over the bytes).
    static func isDNS1123LabelOfValidLength(_ s: String) -> Bool {
        func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) }
        var s = s
        return s.withUTF8 { b in
            guard let first = b.first, let last = b.last, b.count <= 63, alnum(first), alnum(last) else { return false }
            for c in b where !alnum(c) && c != 0x2d { return false }
            return true
        }
    }

    static func dns1123LabelProblems(_ s: String) -> [String] {
        var out: [String] = []
        if s.utf8.count > 63 { out.append("must be no more than 63 characters") }
        if !isDNS1123Label(Substring(s).utf8) {
            if isDNS1123Subdomain(s) {
                out.append("must not contain dots")
            } else {
                out.append("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '\(labelFormat)')")
            }
        }
        return out
    }

    static func dns1123SubdomainProblems(_ s: String) -> [String] {
        var out: [String] = []
        if s.utf8.count > 253 { out.append("must be no more than 253 characters") }
        if !isDNS1123Subdomain(s) {
            out.append("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '\(labelFormat)(\\.\(labelFormat))*')")
        }
        return out
    }

    // MARK: Go's formatting of values

    /// Go's `%q` of a string.
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Go's `%#v` of a `[]string`.
    static func goStringSlice(_ list: [String]) -> String {
        "[]string{" + list.map(goQuote).joined(separator: ", ") + "}"
    }
}
