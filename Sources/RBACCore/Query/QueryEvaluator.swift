/// The machine interface: one JSON query in, one JSON answer out, in the format of the
/// conformance suites (`rbacgraph eval`).
///
/// Ops: `authorize`, `who-can`, `rules`, `role-rules`, `paths`, `create-binding`, `create-role`.
/// See `docs/eval.md` for the format.
public struct QueryEvaluator: Sendable {
    public let graph: AccessGraph
    private let paths: PathFinder
    private let decodeObject: ObjectDecoder?

    /// Turns the `object` of a `create-binding`/`create-role` query (as JSON text) into the
    /// objects it holds. The loader provides it (RBACCore decodes no manifests itself), so an
    /// object in a query is read exactly as the same object in a file.
    public typealias ObjectDecoder = @Sendable (_ json: String) throws -> Cluster

    /// - Parameter decodeObject: how to read the objects of `create-binding`/`create-role`
    ///   queries; without it those ops answer with an error.
    public init(graph: AccessGraph, decodeObject: ObjectDecoder? = nil) {
        self.graph = graph
        self.paths = PathFinder(graph)
        self.decodeObject = decodeObject
    }

    /// Answers one line of JSON. Malformed queries get `{"id": …, "error": "…"}`.
    public func answer(line: String) -> String {
        let query: JSONValue
        do {
            query = try JSONValue.parse(line)
        } catch {
            return JSONValue.object([("id", .null), ("error", .string(error.description))]).serialized()
        }
        return answer(query).serialized()
    }

    /// Answers one parsed query.
    public func answer(_ q: JSONValue) -> JSONValue {
        let id = q["id"] ?? .null
        do {
            return .object([("id", id)] + (try fields(for: q)))
        } catch {
            return .object([("id", id), ("error", .string(error.message))])
        }
    }

    /// A query that cannot be answered.
    public struct QueryError: Error, Hashable, Sendable {
        public var message: String
    }

    private func fields(for q: JSONValue) throws(QueryError) -> [(String, JSONValue)] {
        guard let op = q["op"]?.stringValue else { throw QueryError(message: "missing op") }
        switch op {
        case "authorize":
            let d = graph.authorize(try Self.identity(q), try Self.request(q))
            var out: [(String, JSONValue)] = [("allowed", .bool(d.allowed))]
            if !d.reason.isEmpty { out.append(("reason", .string(d.reason))) }
            return out
        case "who-can":
            let subjects = graph.subjects(allowedTo: try Self.request(q))
            return [("subjects", .array(subjects.map(subjectJSON)))]
        case "rules":
            let ns = q["namespace"]?.stringValue ?? ""
            let result = graph.rules(for: try Self.identity(q), in: ns)
            var out: [(String, JSONValue)] = [("rules", .array(Self.selfSubjectRules(result.rules.map(\.rule)).map(\.json)))]
            if !result.errors.isEmpty { out.append(("evaluationError", .string(result.errors.joined(separator: ", ")))) }
            return out
        case "role-rules":
            guard let name = q["name"]?.stringValue else { throw QueryError(message: "role-rules needs name") }
            let kind = q["kind"]?.stringValue ?? "ClusterRole"
            let role: Role?
            if kind == "Role" {
                role = graph.role(named: name, in: q["namespace"]?.stringValue ?? "default")
            } else {
                role = graph.clusterRole(named: name)
            }
            guard let role else { throw QueryError(message: "\(kind.lowercased()) \"\(name)\" not found") }
            return [("rules", .array(role.rules.map(\.json)))]
        case "paths":
            guard let fromText = q["from"]?.stringValue, let from = PathNode.identity(parsing: fromText) else {
                throw QueryError(message: "paths needs from: user:NAME, group:NAME or sa:NS/NAME")
            }
            let toText = q["to"]?.stringValue ?? "cluster-admin"
            guard let target = PathTarget.parse(toText) else { throw QueryError(message: "cannot read the target \"\(toText)\"") }
            var maxSteps = 8
            if case .number(let n)? = q["maxSteps"] { maxSteps = Int(n) }
            let answer = paths.answer(PathQuery(from: from, to: target, maxSteps: maxSteps, all: q["all"]?.boolValue == true))
            return [("paths", answer.pathsJSON)]
        case "create-binding", "create-role":
            let object = try self.object(of: q, op: op)
            let verdict = graph.admission(of: object, by: try Self.identity(q), verb: .create)
            return [("allowed", .bool(verdict.allowed)), ("reasons", .array(verdict.reasons.map { .string($0) }))]
        default:
            throw QueryError(message: "unknown op \"\(op)\"")
        }
    }

    /// The single binding (for `create-binding`) or role (`create-role`) in a query's `object`.
    private func object(of q: JSONValue, op: String) throws(QueryError) -> Admission.Object {
        guard let json = q["object"], case .object = json else { throw QueryError(message: "\(op) needs object") }
        guard let decodeObject else { throw QueryError(message: "\(op) is not available: no object decoder") }
        let cluster: Cluster
        do {
            cluster = try decodeObject(json.serialized())
        } catch {
            throw QueryError(message: "cannot read object: \(error)")
        }
        if op == "create-binding" {
            guard cluster.bindings.count == 1, cluster.roles.isEmpty else {
                throw QueryError(message: "create-binding needs one RoleBinding or ClusterRoleBinding as object")
            }
            return .binding(cluster.bindings[0])
        }
        guard cluster.roles.count == 1, cluster.bindings.isEmpty else {
            throw QueryError(message: "create-role needs one Role or ClusterRole as object")
        }
        return .role(cluster.roles[0])
    }

    /// A subject of a who-can answer: its kind, name and namespace (what the conformance suites
    /// compare), and every grant that allows it, as `rbacgraph who-can -o json` gives them (none
    /// for `Group system:masters`, which the API server allows everything ahead of RBAC).
    private func subjectJSON(_ s: AllowedSubject) -> JSONValue {
        var pairs = s.subject.jsonFields
        pairs.append(("grants", .array(s.grants.map(graph.json))))
        if s.grants.isEmpty { pairs.append(("reason", .string("system:masters is allowed everything by the API server"))) }
        return .object(pairs)
    }

    /// The identity of a query: `serviceAccount`, or `user` and `groups` (plus
    /// `system:authenticated` when `authenticated` is true).
    static func identity(_ q: JSONValue) throws(QueryError) -> Identity {
        if let sa = q["serviceAccount"]?.stringValue, !sa.isEmpty {
            guard let slash = sa.firstIndex(of: "/") else {
                throw QueryError(message: "serviceAccount must be NAMESPACE/NAME")
            }
            return .serviceAccount(namespace: String(sa[..<slash]), name: String(sa[sa.index(after: slash)...]))
        }
        let user = q["user"]?.stringValue ?? ""
        let groups = (q["groups"]?.arrayValue ?? []).compactMap(\.stringValue)
        if q["authenticated"]?.boolValue == true {
            return .authenticatedUser(user, groups: groups)
        }
        return Identity(name: user, groups: groups)
    }

    /// The request of a query: `path` makes it a non-resource request.
    static func request(_ q: JSONValue) throws(QueryError) -> Request {
        guard let verb = q["verb"]?.stringValue else { throw QueryError(message: "missing verb") }
        if let path = q["path"]?.stringValue, q["resourceRequest"]?.boolValue != true {
            return .nonResource(verb: verb, path: path)
        }
        return .resource(ResourceRequest(
            verb: verb, apiGroup: q["apiGroup"]?.stringValue ?? "", resource: q["resource"]?.stringValue ?? "",
            subresource: q["subresource"]?.stringValue ?? "", namespace: q["namespace"]?.stringValue ?? "",
            name: q["name"]?.stringValue ?? ""))
    }

    /// The rules as a SelfSubjectRulesReview returns them: each rule split into its resource
    /// part (when it lists resources) and its non-resource part (when it lists URLs).
    public static func selfSubjectRules(_ rules: [PolicyRule]) -> [PolicyRule] {
        var out: [PolicyRule] = []
        for r in rules {
            if !r.resources.isEmpty {
                out.append(PolicyRule(verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames))
            }
            if !r.nonResourceURLs.isEmpty {
                out.append(PolicyRule(verbs: r.verbs, nonResourceURLs: r.nonResourceURLs))
            }
        }
        return out
    }
}
