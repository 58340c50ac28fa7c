public import RBACCore

/// Loads folders that mirror Vault's paths (`--vault DIR`):
///
/// - `DIR/auth/MOUNT/role/NAME.json`: what `vault read -format=json auth/MOUNT/role/NAME`
///   prints (the role's fields under `data`, or bare): a Kubernetes auth role.
/// - `DIR/sys/policy/NAME.hcl`: what `vault policy read NAME` prints: an ACL policy.
/// - `DIR/sys/auth.json` (optional): what `vault auth list -format=json` prints: the mounts'
///   accessors, which resolve `{{identity.entity.aliases.ACCESSOR.…}}` templates.
///
/// The mount and the names come from the paths. These files hold no secret values. Any other
/// file is a note (left out); a file that cannot be read is an error, and loading goes on.
public struct VaultLoader: Sendable {
    public var strict: Bool

    public init(strict: Bool = false) {
        self.strict = strict
    }

    /// What a load produced.
    public struct Result: Sendable {
        public var inventory = VaultInventory()
        public var diagnostics: [LoadDiagnostic] = []
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Loads every folder of `folders`.
    /// - Throws: ``LoadError/strict(_:)`` at the first error with ``strict``.
    public func load(folders: [String]) throws(LoadError) -> Result {
        var result = Result()
        for dir in folders {
            guard FileSystem.kind(of: dir) == .directory else {
                try add(LoadDiagnostic(severity: .error, location: SourceLocation(file: dir), message: "--vault needs a folder that mirrors Vault's paths (auth/…, sys/policy/…)"), to: &result)
                continue
            }
            let root = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
            let walk = FileSystem.walk(root, extensions: ["json", "hcl"], sizes: false)
            for file in walk.files {
                let relative = String(file.dropFirst(root.count + 1))
                let bytes = FileSystem.readFile(file)
                guard let bytes else {
                    try add(LoadDiagnostic(severity: .error, location: SourceLocation(file: file), message: "cannot read"), to: &result)
                    continue
                }
                do {
                    try loadFile(relative: relative, path: file, bytes: bytes, into: &result)
                } catch let d {
                    try add(d, to: &result)
                }
            }
        }
        return result
    }

    /// Loads the files of one Vault folder given in memory (a report rule's examples), by
    /// their path in the folder (`sys/policy/admin.hcl`), in path order; diagnostics name
    /// them `ROOT/PATH`.
    /// - Throws: ``LoadError/strict(_:)`` at the first error with ``strict``.
    public func load(files: [String: String], root: String) throws(LoadError) -> Result {
        var result = Result()
        for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
            do {
                try loadFile(relative: relative, path: "\(root)/\(relative)", bytes: Array(text.utf8), into: &result)
            } catch let d {
                try add(d, to: &result)
            }
        }
        return result
    }

    private func add(_ d: LoadDiagnostic, to result: inout Result) throws(LoadError) {
        result.diagnostics.append(d)
        if strict && d.severity == .error { throw .strict(d) }
    }

    /// Loads one file of a Vault folder, by its path relative to the folder.
    func loadFile(relative: String, path: String, bytes: [UInt8], into result: inout Result) throws(LoadDiagnostic) {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let last = parts.last ?? ""
        if parts.count >= 4, parts[0] == "auth", parts[parts.count - 2] == "role", last.hasSuffix(".json") {
            let mount = parts[1..<(parts.count - 2)].joined(separator: "/")
            let name = String(last.dropLast(5))
            guard !mount.isEmpty, !name.isEmpty else { throw note(path) }
            result.inventory.roles.append(try Self.parseRole(bytes, mount: mount, name: name, file: path))
        } else if parts.count >= 3, parts[0] == "sys", parts[1] == "policy", last.hasSuffix(".hcl") {
            let name = parts[2...].joined(separator: "/").dropLast(4)
            guard !name.isEmpty else { throw note(path) }
            guard !FileSystem.looksBinary(bytes[...]) else {
                throw LoadDiagnostic(severity: .error, location: SourceLocation(file: path), message: "binary file, not a policy: skipped")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            result.inventory.policies.append(try VaultPolicyParser().parse(text, name: String(name), file: path))
        } else if relative == "sys/auth.json" {
            result.inventory.accessors.merge(try Self.parseAuthList(bytes, file: path)) { a, _ in a }
        } else {
            throw note(path)
        }
    }

    private func note(_ path: String) -> LoadDiagnostic {
        LoadDiagnostic(
            severity: .note, location: SourceLocation(file: path),
            message: "not a Vault file rbacgraph reads (auth/MOUNT/role/NAME.json, sys/policy/NAME.hcl, sys/auth.json): skipped")
    }

    /// The fields of a Kubernetes auth role (under `data` or bare), from the bytes of `file`
    /// (what `vault read -format=json auth/MOUNT/role/NAME` prints).
    /// - Throws: the first problem, located in `file`.
    public static func parseRole(_ bytes: [UInt8], mount: String, name: String, file: String) throws(LoadDiagnostic) -> VaultRole {
        let tree: JSONValue
        let positions: YAMLTree.Positions
        do {
            (tree, positions) = try YAMLTree.parseLocated(bytes, maxDepth: 64, typed: true)
        } catch {
            throw LoadDiagnostic(severity: .error, location: SourceLocation(file: file, line: error.line, column: error.column), message: error.message)
        }
        let at = SourceLocation(file: file, line: 1, column: 1)
        /// Where a node is, by its path below the fields' object.
        var base: [String] = []
        func location(_ path: [String]) -> SourceLocation? {
            positions[base + path].map { SourceLocation(file: file, line: $0.line, column: $0.column) }
        }
        func fail(_ m: String, at path: [String] = []) -> LoadDiagnostic {
            LoadDiagnostic(severity: .error, location: path.isEmpty ? at : location(path) ?? at, message: "role \(name): \(m)")
        }
        guard case .object = tree else { throw fail("expected a JSON object (vault read -format=json output)") }
        let fields: JSONValue
        if let data = tree["data"] {
            guard case .object = data else { throw fail("data must be an object", at: ["data"]) }
            fields = data
            base = ["data"]
        } else {
            fields = tree
        }
        var entrySources: [VaultRole.Field: [SourceLocation]] = [:]
        /// A list of strings, or a comma-separated string (Vault accepts both on write).
        func list(_ field: VaultRole.Field) throws(LoadDiagnostic) -> [String] {
            let key = field.rawValue
            guard let v = fields[key] else { return [] }
            switch v {
            case .null: return []
            case .string(let s):
                let out = s.split(separator: ",").map { Self.trimmed($0) }.filter { !$0.isEmpty }
                entrySources[field] = Array(repeating: location([key]) ?? at, count: out.count)
                return out
            case .array(let items):
                var out: [String] = []
                var sources: [SourceLocation] = []
                for (i, item) in items.enumerated() {
                    guard let s = item.stringValue else { throw fail("\(key) must be a list of strings", at: [key, String(i)]) }
                    out.append(s)
                    sources.append(location([key, String(i)]) ?? at)
                }
                entrySources[field] = sources
                return out
            default: throw fail("\(key) must be a list of strings", at: [key])
            }
        }
        func string(_ field: VaultRole.Field) throws(LoadDiagnostic) -> String? {
            let key = field.rawValue
            guard let v = fields[key] else { return nil }
            if case .null = v { return nil }
            guard let s = v.stringValue else { throw fail("\(key) must be a string", at: [key]) }
            return s
        }
        let names = try list(.boundNames)
        let namespaces = try list(.boundNamespaces)
        guard fields[VaultRole.Field.boundNames.rawValue] != nil else {
            throw fail("no bound_service_account_names: not a Kubernetes auth role")
        }
        var selector: LabelSelector? = nil
        if let text = try string(.namespaceSelector), !Self.trimmed(text[...]).isEmpty {
            selector = try parseSelector(text) { m in fail(m, at: [VaultRole.Field.namespaceSelector.rawValue]) }
        }
        var policies: [String] = []
        for p in try list(.tokenPolicies) + list(.policies) where !policies.contains(where: { $0.isExactly(p) }) {
            policies.append(p)
        }
        var noDefault = false
        switch fields[VaultRole.Field.noDefaultPolicy.rawValue] {
        case nil, .null?: break
        case .bool(let b)?: noDefault = b
        case .string(let s)? where s == "true" || s == "false": noDefault = s == "true"
        default: throw fail("token_no_default_policy must be true or false", at: [VaultRole.Field.noDefaultPolicy.rawValue])
        }
        if names.isEmpty { throw fail("bound_service_account_names is empty: Vault refuses such a role", at: [VaultRole.Field.boundNames.rawValue]) }
        if namespaces.isEmpty && selector == nil {
            throw fail("neither bound_service_account_namespaces nor bound_service_account_namespace_selector: Vault refuses such a role")
        }
        let audience = try string(.audience).flatMap { $0.isEmpty ? nil : $0 }
        let aliasSource = try string(.aliasNameSource).flatMap { $0.isEmpty ? nil : $0 } ?? "serviceaccount_uid"
        var role = VaultRole(
            mount: mount, name: name, boundNames: names, boundNamespaces: namespaces, namespaceSelector: selector,
            policies: policies, noDefaultPolicy: noDefault, audience: audience, aliasNameSource: aliasSource, source: at)
        for field in VaultRole.Field.allCases {
            if let position = location([field.rawValue]) { role.fieldSources[field] = position }
        }
        role.entrySources = entrySources
        return role
    }

    static func trimmed(_ s: Substring) -> String {
        String(s.drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed())
    }

    /// A label selector written as JSON or YAML (`{"matchLabels": {…}}`).
    static func parseSelector(_ text: String, fail: (String) -> LoadDiagnostic) throws(LoadDiagnostic) -> LabelSelector {
        guard let tree = try? YAMLTree.parse(Array(text.utf8)), case .object(let pairs) = tree else {
            throw fail("bound_service_account_namespace_selector is not a label selector (JSON or YAML)")
        }
        var selector = LabelSelector()
        for (key, value) in pairs {
            switch key {
            case "matchLabels":
                guard case .object(let labels) = value else { throw fail("namespace selector: matchLabels must be a mapping") }
                for (k, v) in labels {
                    guard let s = v.stringValue else { throw fail("namespace selector: matchLabels values must be strings") }
                    selector.matchLabels.append((key: k, value: s))
                }
            case "matchExpressions":
                guard let items = value.arrayValue else { throw fail("namespace selector: matchExpressions must be a list") }
                for item in items {
                    guard let k = item["key"]?.stringValue, let op = item["operator"]?.stringValue else {
                        throw fail("namespace selector: each matchExpressions entry needs key and operator")
                    }
                    let values = (item["values"]?.arrayValue ?? []).compactMap(\.stringValue)
                    selector.matchExpressions.append(.init(key: k, operator: op, values: values))
                }
            default:
                throw fail("namespace selector: unknown field \(key)")
            }
        }
        do { try selector.validate() } catch { throw fail("namespace selector: \(error.message)") }
        return selector
    }

    /// `vault auth list -format=json`: mount path (`kubernetes/`) to `{accessor, type, …}`.
    static func parseAuthList(_ bytes: [UInt8], file: String) throws(LoadDiagnostic) -> [String: String] {
        let tree: JSONValue
        do {
            tree = try YAMLTree.parse(bytes)
        } catch {
            throw LoadDiagnostic(severity: .error, location: SourceLocation(file: file, line: error.line, column: error.column), message: error.message)
        }
        let body = tree["data"] ?? tree
        guard case .object(let mounts) = body else {
            throw LoadDiagnostic(severity: .error, location: SourceLocation(file: file, line: 1, column: 1), message: "expected vault auth list -format=json output (an object of mounts)")
        }
        var out: [String: String] = [:]
        for (path, mount) in mounts {
            guard let accessor = mount["accessor"]?.stringValue else { continue }
            var p = path
            while p.hasSuffix("/") { p.removeLast() }
            out[accessor] = p
        }
        return out
    }
}
