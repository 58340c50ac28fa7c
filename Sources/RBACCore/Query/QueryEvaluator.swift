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

    /// Why a query cannot be answered; its ``message`` is the answer's `error`.
    public enum QueryError: Error, Hashable, Sendable, CustomStringConvertible {
        /// No `op` field.
        case missingOp
        /// An `op` that is none of the ops.
        case unknownOp(String)
        /// No `verb` field (authorize, who-can).
        case missingVerb
        /// An op without a field it needs: `role-rules` without `name`, `create-role` without `object`.
        case missingField(op: String, field: String)
        /// `paths` without a `from` identity in the notation.
        case missingPathStart
        /// A `to` that is no path target.
        case unreadableTarget(String)
        /// `serviceAccount` is not `NAMESPACE/NAME`.
        case malformedServiceAccount
        /// `role-rules` names a role the input does not have.
        case roleNotFound(kind: String, name: String)
        /// `create-binding`/`create-role` without an object decoder (see ``ObjectDecoder``).
        case noObjectDecoder(op: String)
        /// The object could not be read; what the decoder said.
        case unreadableObject(String)
        /// The object is not one binding (`create-binding`) or one role (`create-role`).
        case wrongObject(op: String)
        /// A `vault:` query whose verb or capability is no Vault capability.
        case notAVaultCapability(String)
        /// A `store:`/`clusterstore:` query whose verb or capability is not `use`, `read` or `write`.
        case notAStoreUse(String)
        /// A query on an object of a SecretProviderClass whose verb is not `read`.
        case notARead(String)

        public var message: String {
            switch self {
            case .missingOp: return "missing op"
            case .unknownOp(let op): return "unknown op \"\(op)\""
            case .missingVerb: return "missing verb"
            case .missingField(let op, let field): return "\(op) needs \(field)"
            case .missingPathStart: return "paths needs from: user:NAME, group:NAME or sa:NS/NAME"
            case .unreadableTarget(let text):
                return "cannot read the target \"\(text)\": a target is \(PathTarget.everySyntax)"
            case .malformedServiceAccount: return "serviceAccount must be NAMESPACE/NAME"
            case .roleNotFound(let kind, let name): return "\(kind.lowercased()) \"\(name)\" not found"
            case .noObjectDecoder(let op): return "\(op) is not available: no object decoder"
            case .unreadableObject(let why): return "cannot read object: \(why)"
            case .notAStoreUse(let word):
                return "for store: and clusterstore: targets the verb is \(StoreUse.names) (not \"\(word)\")"
            case .notARead(let word):
                return "for an object of a SecretProviderClass the verb is read (not \"\(word)\")"
            case .notAVaultCapability(let word):
                return "for vault: targets the verb is a Vault capability: read, list, create, update, patch, delete or sudo (not \"\(word)\")"
            case .wrongObject(let op):
                return op == "create-binding"
                    ? "create-binding needs one RoleBinding or ClusterRoleBinding as object"
                    : "create-role needs one Role or ClusterRole as object"
            }
        }

        public var description: String { message }
    }

    private func fields(for q: JSONValue) throws(QueryError) -> [(String, JSONValue)] {
        guard let op = q["op"]?.stringValue else { throw .missingOp }
        switch op {
        case "authorize":
            let d = graph.authorize(try Self.identity(q), try Self.request(q))
            var out: [(String, JSONValue)] = [("allowed", .bool(d.allowed))]
            if !d.reason.isEmpty { out.append(("reason", .string(d.reason))) }
            return out
        case "who-can":
            if let path = q["resource"]?.stringValue, let target = VaultTarget.parse(path) {
                return try vaultWhoCan(q, target: target)
            }
            if let text = q["resource"]?.stringValue, StoreTarget.isStoreTarget(text) {
                return try storeWhoCan(q, text: text)
            }
            if let text = q["resource"]?.stringValue, let object = ProviderObjectTarget.parse(text),
                !graph.external.providerClasses(naming: object).isEmpty
            {
                return try providerObjectWhoCan(q, target: object)
            }
            let request = try Self.request(q)
            let subjects = graph.subjects(allowedTo: request)
            var out: [(String, JSONValue)] = [("subjects", .array(subjects.map(subjectJSON)))]
            // `get` of a Secret (or object of another kind) an ExternalSecret writes: also who
            // gets its data through its stores (and, for an object, by listing or mounting it).
            if case .resource(let r) = request, let secret = graph.materialized(getting: r) {
                let esc = paths.graph
                out.append(("materializedBy", .string(secret.description)))
                if let condition = secret.conditionNote { out.append(("condition", .string(condition))) }
                // For an object other than a Secret, its list and watch routes would repeat the subjects.
                let listed = secret.manifest == nil ? [] : Set(subjects.compactMap { PathNode(subject: $0.subject) })
                let readers = esc.materializedReaders(of: secret, effective: false).filter { !listed.contains(esc.nodes[$0.kubernetes.start]) }
                out.append(("throughStores", .array(readers.map { esc.readerJSON($0) })))
            }
            return out
        case "rules":
            let ns = q["namespace"]?.stringValue ?? ""
            let result = graph.rules(for: try Self.identity(q), in: ns)
            var out: [(String, JSONValue)] = [("rules", .array(Self.selfSubjectRules(result.rules.map(\.rule)).map(\.json)))]
            if !result.errors.isEmpty { out.append(("evaluationError", .string(result.errors.joined(separator: ", ")))) }
            return out
        case "role-rules":
            guard let name = q["name"]?.stringValue else { throw .missingField(op: "role-rules", field: "name") }
            let kind = q["kind"]?.stringValue ?? "ClusterRole"
            let role: Role?
            if kind == "Role" {
                role = graph.role(named: name, in: q["namespace"]?.stringValue ?? "default")
            } else {
                role = graph.clusterRole(named: name)
            }
            guard let role else { throw .roleNotFound(kind: kind, name: name) }
            return [("rules", .array(role.rules.map(\.json)))]
        case "paths":
            guard let fromText = q["from"]?.stringValue, let from = PathTarget.start(parsing: fromText) else {
                throw .missingPathStart
            }
            let toText = q["to"]?.stringValue ?? "cluster-admin"
            var maxSteps = 8
            if case .number(let n)? = q["maxSteps"] { maxSteps = Int(n) }
            if toText.hasPrefix("vault:") {
                let capability = try Self.vaultCapability(q["capability"]?.stringValue ?? "read")
                guard let target = VaultTarget.parse(toText, capability: capability) else { throw .unreadableTarget(toText) }
                let esc = paths.graph(including: [from])
                let found = esc.vaultPaths(from: from, to: target, maxSteps: maxSteps, all: q["all"]?.boolValue == true)
                return [("paths", .array(found.map { esc.json($0) }))] + kvVersion2Note(target.pattern, capability: capability)
            }
            if StoreTarget.isStoreTarget(toText) {
                guard let target = StoreTarget.parse(toText) else { throw .unreadableTarget(toText) }
                let use = try Self.storeUse(q["capability"]?.stringValue ?? "use")
                let esc = paths.graph(including: [from])
                let found = esc.storePaths(from: from, to: target, use: use, maxSteps: maxSteps, all: q["all"]?.boolValue == true)
                return [("paths", .array(found.map { esc.json($0) }))] + Self.storeNote(target, in: esc)
            }
            if PathTarget.parse(toText) == nil, let object = ProviderObjectTarget.parse(toText), !graph.external.providerClasses(naming: object).isEmpty {
                let esc = paths.graph(including: [from])
                let found = esc.providerObjectPaths(from: from, to: object, maxSteps: maxSteps, all: q["all"]?.boolValue == true)
                return [("paths", .array(found.map { esc.json($0) }))]
            }
            guard let target = PathTarget.parse(toText) else { throw .unreadableTarget(toText) }
            // A Secret an ExternalSecret writes: read in Kubernetes, or through its stores.
            if case .secret(let ns, let name?) = target, let secret = graph.materializedSecret(namespace: ns, name: name) {
                let esc = paths.graph(including: [from])
                let found = esc.paths(from: from, to: target, writtenBy: secret, maxSteps: maxSteps, all: q["all"]?.boolValue == true)
                return [("paths", .array(found.map { esc.json($0) })), ("materializedBy", .string(secret.description))]
            }
            if case .permission(.resource(let r)) = target, let object = graph.materialized(getting: r), object.manifest != nil {
                let esc = paths.graph(including: [from])
                let found = esc.paths(from: from, to: target, writtenBy: object, maxSteps: maxSteps, all: q["all"]?.boolValue == true)
                return [("paths", .array(found.map { esc.json($0) })), ("materializedBy", .string(object.description))]
                    + (object.conditionNote.map { [("condition", JSONValue.string($0))] } ?? [])
            }
            let answer = paths.answer(PathQuery(from: from, to: target, maxSteps: maxSteps, all: q["all"]?.boolValue == true))
            return [("paths", answer.pathsJSON)]
        case "create-binding", "create-role":
            let object = try self.object(of: q, op: op)
            let verdict = graph.admission(of: object, by: try Self.identity(q), verb: .create)
            return [("allowed", .bool(verdict.allowed)), ("reasons", .array(verdict.reasons.map { .string($0) }))]
        default:
            throw .unknownOp(op)
        }
    }

    /// A Vault capability of a query (`verb` of who-can, `capability` of paths).
    static func vaultCapability(_ word: String) throws(QueryError) -> VaultCapabilities {
        guard let c = VaultCapabilities(name: word), c != .deny else { throw .notAVaultCapability(word) }
        return c
    }

    /// `who-can` on a `vault:` resource: who may use the capability `verb` on the Vault path,
    /// as `rbacgraph who-can CAPABILITY vault:PATH -o json` answers (`effective` and
    /// `maxSteps` as its flags).
    private func vaultWhoCan(_ q: JSONValue, target: VaultTarget) throws(QueryError) -> [(String, JSONValue)] {
        guard let verb = q["verb"]?.stringValue else { throw .missingVerb }
        let capability = try Self.vaultCapability(verb)
        var maxSteps = 8
        if case .number(let n)? = q["maxSteps"] { maxSteps = Int(n) }
        let esc = paths.graph
        let readers = esc.vaultReaders(of: target.pattern, capability: capability, effective: q["effective"]?.boolValue == true, maxSteps: maxSteps)
        return [("identities", .array(readers.map { esc.json($0) }))] + kvVersion2Note(target.pattern, capability: capability)
    }

    /// A `note` when the Vault path is a KV version 2 secret written as `vault kv` spells it
    /// (``ExternalInventory/kvVersion2Hint(for:capability:)``): the CLI warns on stderr.
    private func kvVersion2Note(_ path: String, capability: VaultCapabilities) -> [(String, JSONValue)] {
        guard let hint = graph.external.kvVersion2Hint(for: path, capability: capability) else { return [] }
        return [("note", .string(hint.message))]
    }

    /// A store's use of a query (`verb` of who-can, `capability` of paths).
    static func storeUse(_ word: String) throws(QueryError) -> StoreUse {
        guard let use = StoreUse(rawValue: word) else { throw .notAStoreUse(word) }
        return use
    }

    /// `who-can` on a `store:`/`clusterstore:` resource: who may `use`, `read` or `write` with
    /// the store, as `rbacgraph who-can VERB store:… -o json` answers (`effective`, `maxSteps`).
    private func storeWhoCan(_ q: JSONValue, text: String) throws(QueryError) -> [(String, JSONValue)] {
        guard let verb = q["verb"]?.stringValue else { throw .missingVerb }
        guard let target = StoreTarget.parse(text) else { throw .unreadableTarget(text) }
        let use = try Self.storeUse(verb)
        var maxSteps = 8
        if case .number(let n)? = q["maxSteps"] { maxSteps = Int(n) }
        let esc = paths.graph
        let readers = esc.storeReaders(of: target, use: use, effective: q["effective"]?.boolValue == true, maxSteps: maxSteps)
        return [("identities", .array(readers.map { esc.readerJSON($0) }))] + Self.storeNote(target, in: esc)
    }

    /// `who-can` on a `PROVIDER:OBJECT` resource (an object of a SecretProviderClass of the
    /// input): who may mount it, as `rbacgraph who-can read PROVIDER:OBJECT -o json` answers.
    private func providerObjectWhoCan(_ q: JSONValue, target: ProviderObjectTarget) throws(QueryError) -> [(String, JSONValue)] {
        guard let verb = q["verb"]?.stringValue else { throw .missingVerb }
        guard verb == "read" else { throw .notARead(verb) }
        var maxSteps = 8
        if case .number(let n)? = q["maxSteps"] { maxSteps = Int(n) }
        let esc = paths.graph
        let readers = esc.providerObjectReaders(of: target, effective: q["effective"]?.boolValue == true, maxSteps: maxSteps)
        return [("identities", .array(readers.map { esc.readerJSON($0) }))]
    }

    /// `notInInput: true` for a store target the input does not hold (its answer is for such
    /// a store if it exists); nothing otherwise.
    static func storeNote(_ target: StoreTarget, in esc: EscalationGraph) -> [(String, JSONValue)] {
        esc.stores(named: target).isEmpty ? [("notInInput", .bool(true))] : []
    }

    /// The single binding (for `create-binding`) or role (`create-role`) in a query's `object`.
    private func object(of q: JSONValue, op: String) throws(QueryError) -> Admission.Object {
        guard let json = q["object"], case .object = json else { throw .missingField(op: op, field: "object") }
        guard let decodeObject else { throw .noObjectDecoder(op: op) }
        let cluster: Cluster
        do {
            cluster = try decodeObject(json.serialized())
        } catch {
            throw .unreadableObject("\(error)")
        }
        if op == "create-binding" {
            guard cluster.bindings.count == 1, cluster.roles.isEmpty else {
                throw .wrongObject(op: op)
            }
            return .binding(cluster.bindings[0])
        }
        guard cluster.roles.count == 1, cluster.bindings.isEmpty else {
            throw .wrongObject(op: op)
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
                throw .malformedServiceAccount
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
        guard let verb = q["verb"]?.stringValue else { throw .missingVerb }
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
