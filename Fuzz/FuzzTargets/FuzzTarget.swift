import RBACCluster
import RBACCore
import RBACLoading

/// The parsers that read untrusted input, each as one fuzz entry point: `make fuzz` drives
/// them with libFuzzer (`rbacgraph-fuzz TARGET`), and the tests replay every committed input
/// of `Fuzz/corpus/TARGET/` through the same function.
///
/// An entry point returns normally for any input; a crash, a failed check (`fatalError` on a
/// broken invariant), a hang or a leak is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// YAML and JSON manifests through `ManifestLoader` (lenient and `--strict`).
    case manifests
    /// JSON documents through `JSONValue.parse`; what parses serialises and parses back equal.
    case json
    /// Audit logs (JSON lines) through `AuditLogReader`.
    case auditLog = "audit-log"
    /// `eval` queries (one JSON line) through `QueryEvaluator`; every answer is valid JSON.
    case evalQuery = "eval-query"
    /// Label selectors (aggregation rules): validation and matching.
    case labelSelector = "label-selector"
    /// Baseline files (`report --ignore`): the report filtered by the file's lines.
    case baseline
    /// Kubeconfig files (YAML or JSON) through `Kubeconfig.read(bytes:file:)`, kubectl's
    /// merge, and the connection of every context.
    case kubeconfig
    /// Vault files as `--vault DIR` reads them: an ACL policy in HCL (`vault policy read`)
    /// through `VaultPolicyParser` and Vault's path decision, or — input starting with `{` —
    /// a Kubernetes auth role (`vault read -format=json auth/MOUNT/role/NAME`).
    case vault
    /// ClusterSecretStore `namespaceRegexes` through `GoRegex` (Go's RE2 syntax, matched by a Pike VM):
    /// the first line a pattern, each further line a namespace name it is matched against.
    case goRegex = "go-regex"
    /// The targets beyond the API server as queries name them: stores (`store:NS/NAME`,
    /// `store:*/NAME`, `clusterstore:NAME`, with ` key KEY` or ` (keys found by pattern)`),
    /// CSI provider objects (`aws:NAME`) and Vault paths (`vault:secret/data/prod/*`): what
    /// parses prints as text that parses to the same target.
    case externalTarget = "external-target"
    /// Vault pattern targets (`vault:secret/data/prod/*`) decided on the pattern itself
    /// (`VaultLogin.reach`, a product-automaton walk) against a policy, checked path by path:
    /// the first line the target, the second a capability, then a policy in HCL up to a line
    /// `==`, then concrete Vault paths.
    case vaultTarget = "vault-target"
    /// The pre-scan (`ManifestLoader.Options.prescan`): loading with it and without it gives
    /// the same objects, diagnostics, statistics and strict error
    /// (`ManifestLoader.prescanDifference`), lenient and `--strict`.
    case prescan

    /// Runs one input.
    public func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .manifests: Self.manifests(Array(bytes))
        case .json: Self.json(String(decoding: bytes, as: UTF8.self))
        case .auditLog: _ = AuditLogReader().read(text: String(decoding: bytes, as: UTF8.self))
        case .evalQuery: Self.evalQuery(String(decoding: bytes, as: UTF8.self))
        case .labelSelector: Self.labelSelector(String(decoding: bytes, as: UTF8.self))
        case .baseline: Self.baseline(String(decoding: bytes, as: UTF8.self))
        case .kubeconfig: Self.kubeconfig(Array(bytes))
        case .vault: Self.vault(Array(bytes))
        case .goRegex: Self.goRegex(Array(bytes))
        case .externalTarget: Self.externalTarget(String(decoding: bytes, as: UTF8.self))
        case .vaultTarget: Self.vaultTarget(Array(bytes))
        case .prescan: Self.prescan(Array(bytes))
        }
    }

    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { run($0) }
    }

    // MARK: Targets

    static func prescan(_ bytes: [UInt8]) {
        if let d = ManifestLoader.prescanDifference(bytes, name: "fuzz.yaml") { fatalError("the pre-scan changes the load: \(d)") }
        var strict = ManifestLoader.Options()
        strict.strict = true
        if let d = ManifestLoader.prescanDifference(bytes, options: strict, name: "fuzz.yaml") { fatalError("the pre-scan changes the strict load: \(d)") }
    }

    static func manifests(_ bytes: [UInt8]) {
        let lenient = try! ManifestLoader().load(bytes: bytes, name: "fuzz.yaml")
        for d in lenient.diagnostics where d.location.line < 0 || d.location.column < 0 {
            fatalError("diagnostic with a negative position: \(d)")
        }
        var strict = ManifestLoader.Options()
        strict.strict = true
        do {
            let r = try ManifestLoader(options: strict).load(bytes: bytes, name: "fuzz.yaml")
            if r.hasErrors { fatalError("a strict load returned errors instead of throwing") }
        } catch {
            if !lenient.hasErrors { fatalError("a strict load threw (\(error)) where the lenient one found no error") }
        }
    }

    static func json(_ text: String) {
        guard let v = try? JSONValue.parse(text) else { return }
        let again = v.serialized()
        guard let w = try? JSONValue.parse(again) else { fatalError("serialised JSON does not parse: \(again.prefix(200))") }
        if v != w { fatalError("JSON changes through serialisation: \(again.prefix(200))") }
    }

    static func evalQuery(_ line: String) {
        let newline = UInt8(ascii: "\n")
        guard !line.utf8.contains(newline) else {
            // One query a line, as `eval` reads them; the first 8 (a seed file of a hundred
            // create-binding queries took over a second under address sanitizer as one input).
            // Split by bytes: "\r\n" is one Character, which a split by Character "\n" would
            // leave whole (an endless recursion, found by make fuzz).
            for l in line.utf8.split(separator: newline).prefix(8) { evalQuery(String(decoding: l, as: UTF8.self)) }
            return
        }
        let answer = World.evaluator.answer(line: line)
        if (try? JSONValue.parse(answer)) == nil { fatalError("eval answer is not JSON: \(answer.prefix(200))") }
    }

    /// Lines: `L key=value` a label of the object, `M key=value` a matchLabels entry,
    /// otherwise `key operator value…` a requirement.
    static func labelSelector(_ text: String) {
        var labels: [String: String] = [:]
        var matchLabels: [(key: String, value: String)] = []
        var requirements: [LabelSelector.Requirement] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if parts.first == "L" || parts.first == "M" {
                let pair = parts.dropFirst().joined(separator: " ")
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let (k, v) = (kv.first ?? "", kv.count > 1 ? kv[1] : "")
                if parts.first == "L" { labels[k] = v } else { matchLabels.append((k, v)) }
            } else {
                requirements.append(LabelSelector.Requirement(
                    key: parts.first ?? "", operator: parts.count > 1 ? parts[1] : "", values: Array(parts.dropFirst(2))))
            }
        }
        let selector = LabelSelector(matchLabels: matchLabels, matchExpressions: requirements)
        let valid = (try? selector.validate()) != nil
        let matched = try? selector.matches(labels)
        if valid && matched == nil { fatalError("a valid selector failed to match") }
    }

    /// A baseline file is read and applied to the small world's findings (computed once: the
    /// report itself is no untrusted-input parser). Every finding is accepted or kept, an
    /// accepted one by an entry that is a prefix of its key at a space or the key itself, and
    /// an entry named unmatched accepts none.
    static func baseline(_ text: String) {
        let baseline = Baseline(text: text)
        let findings = World.allFindings
        var used = 0
        for f in findings where baseline.accepts(f) {
            used += 1
            let key = Array(f.baselineKey.utf8)
            let byEntry = baseline.entries.contains { e in
                let e = Array(e.utf8)
                return key == e || (key.count > e.count && key.starts(with: e) && key[e.count] == UInt8(ascii: " "))
            }
            if !byEntry { fatalError("\(f.baselineKey) accepted by no entry") }
        }
        for entry in baseline.entries {
            if entry.utf8.isEmpty || entry.utf8.first == UInt8(ascii: "#") { fatalError("entry \(entry.debugDescription) is blank or a comment") }
            for b in [entry.utf8.first, entry.utf8.last] where b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                fatalError("entry \(entry.debugDescription) untrimmed")
            }
        }
        let unmatched = baseline.unmatched(by: findings)
        for entry in unmatched where Baseline(lines: [entry]).unmatched(by: findings).isEmpty {
            fatalError("\(entry.debugDescription) named unmatched but accepts a finding")
        }
        if used > 0 && unmatched.count == baseline.entries.count { fatalError("findings accepted, yet every entry unmatched") }
    }
}

extension FuzzTarget {
    /// Parses, merges the file with itself (the first file wins: nothing may change but the
    /// list of files) and resolves the connection of every context. Contexts whose cluster
    /// or user names certificate or key files are not resolved: that would read whatever
    /// path the input names (`/dev/zero` included).
    static func kubeconfig(_ bytes: [UInt8]) {
        guard let config = try? Kubeconfig.read(bytes: bytes, file: "fuzz/kubeconfig") else { return }
        var merged = Kubeconfig.merge([config, config])
        if merged.files != ["fuzz/kubeconfig", "fuzz/kubeconfig"] { fatalError("merge lost a file: \(merged.files)") }
        merged.files = config.files
        if merged != config { fatalError("a kubeconfig merged with itself changed") }
        for (name, context) in config.contexts {
            let cluster = config.clusters[context.cluster]
            let user = config.users[context.user]
            if cluster?.certificateAuthority != nil || user?.clientCertificate != nil || user?.clientKey != nil { continue }
            _ = try? KubeconfigLoader.connection(config, context: name)
        }
    }
}

extension FuzzTarget {
    /// A role file is parsed and asked about one service account; a policy is parsed, and
    /// every rule's own path (wildcards filled in) is decided: an exact path must be decided
    /// by its own entry, and a decision never allows what its entry does not grant.
    static func vault(_ bytes: [UInt8]) {
        if bytes.first == UInt8(ascii: "{") {
            guard let role = try? VaultLoader.parseRole(bytes, mount: "kubernetes", name: "fuzz", file: "fuzz.json") else { return }
            _ = role.admits(ServiceAccountName(namespace: "prod", name: "ci"), namespaceLabels: ["team": "a"])
            _ = role.admits(ServiceAccountName(namespace: "prod", name: "ci"), namespaceLabels: nil)
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let policy = try? VaultPolicyParser().parse(text, name: "fuzz", file: "fuzz.hcl") else { return }
        let acl = VaultACL([(name: policy.name, rules: policy.rules)])
        for rule in policy.rules {
            let filled = String(decoding: rule.path.utf8.map { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "*") ? UInt8(ascii: "x") : $0 }, as: UTF8.self)
            // By bytes, as Vault reads paths: a `*` followed by a combining mark is no Character "*".
            let isExact = !rule.path.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "*") }
                && rule.path.utf8.first != UInt8(ascii: "/")
            for list in [false, true] {
                let decision = acl.decide(filled, list: list)
                if isExact, !list, decision.entry?.pattern != rule.path {
                    fatalError("the exact path \(rule.path) is decided by \(decision.entry?.pattern ?? "nothing")")
                }
                for (_, capability) in VaultCapabilities.named where decision.allows(capability) {
                    guard let entry = decision.entry, entry.capabilities.contains(capability) else {
                        fatalError("\(filled) allows a capability its entry does not grant")
                    }
                }
            }
        }
    }
}

extension FuzzTarget {
    /// A pattern read as Go reads it is answered yes or no for every name (at most 63 bytes, as
    /// namespace names are); one that is not is answered unknown, never yes or no.
    static func goRegex(_ bytes: [UInt8]) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let pattern = String(decoding: lines.first ?? [], as: UTF8.self)
        let readable = GoRegex.problem(pattern) == nil
        for name in lines.dropFirst().prefix(4) {
            let answer = GoRegex.matches(pattern, String(decoding: name.prefix(63), as: UTF8.self))
            if readable == (answer == .unknown) {
                fatalError("pattern \(pattern.debugDescription): readable \(readable), answer \(answer)")
            }
        }
    }
}

extension FuzzTarget {
    /// A target that parses prints as text that parses to the same target; only text meant as
    /// a store target parses as one.
    static func externalTarget(_ text: String) {
        if let target = StoreTarget.parse(text) {
            if !StoreTarget.isStoreTarget(text) { fatalError("\(text.debugDescription) parses but is not meant as a store target") }
            let printed = target.description
            guard let again = StoreTarget.parse(printed) else { fatalError("\(printed.debugDescription), printed from \(text.debugDescription), does not parse") }
            if again != target { fatalError("\(text.debugDescription) prints as \(printed.debugDescription), which means \(again)") }
            if StoreTarget.parse(target.storeName) != StoreTarget(kind: target.kind, namespace: target.namespace, name: target.name) {
                fatalError("the store name \(target.storeName.debugDescription) does not parse to its store")
            }
        }
        if let target = ProviderObjectTarget.parse(text) {
            if ProviderObjectTarget.parse(target.description) != target { fatalError("\(text.debugDescription) prints as \(target.description.debugDescription), which reads otherwise") }
        }
        if let target = VaultTarget.parse(text) {
            guard let again = VaultTarget.parse("vault:" + target.pattern), again == target else { fatalError("vault:\(target.pattern) does not read back as \(text.debugDescription)") }
            if !target.isPattern && !target.matches(target.pattern) { fatalError("\(target) does not name its own path") }
        }
    }

    /// A service account logs in with one role holding the input's policy only; the target is
    /// decided on the pattern (`reach`) and each concrete path under it on its own (`access`).
    /// What the pattern answers must be true of the path it names, and a concrete path the
    /// login may use must make the pattern's answer at least as strong: yes stays yes where
    /// the walk is surely complete (a policy of at most two short paths), and is never no.
    static func vaultTarget(_ bytes: [UInt8]) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count >= 2, let target0 = VaultTarget.parse(String(decoding: lines[0], as: UTF8.self)) else { return }
        var target = target0
        target.capability = VaultCapabilities(name: String(decoding: lines[1], as: UTF8.self)) ?? .read
        if target.capability == .deny { target.capability = .read }
        let rest = lines.dropFirst(2)
        let split = rest.firstIndex { $0.elementsEqual("==".utf8) } ?? rest.endIndex
        let hcl = rest[..<split].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        let paths = rest[split...].dropFirst().prefix(8).map { String(decoding: $0, as: UTF8.self) }
        guard let parsed = try? VaultPolicyParser().parse(hcl, name: "p", file: "fuzz.hcl") else { return }
        let policy = VaultPolicy(name: "p", rules: Array(parsed.rules.prefix(6)))
        // The token also holds `default`, which the input lacks: Vault's shipped one is assumed,
        // unknown on its own paths.
        let role = VaultRole(mount: "kubernetes", name: "fuzz", boundNames: ["ci"], boundNamespaces: ["prod"], policies: ["p"])
        let inventory = VaultInventory(roles: [role], policies: [policy])
        let login = inventory.login(ServiceAccountName(namespace: "prod", name: "ci"), with: role, admitted: .yes)
        let list = target.capability == .list
        let reach = login.reach(target)
        if let r = reach {
            if !target.matches(r.path) { fatalError("\(target) answered with \(r.path.debugDescription), which it does not name") }
            if r.verdict == .no { fatalError("\(target) answered no with a path") }
            let own = login.access(r.path, list: list).allows(target.capability)
            if r.verdict == .yes && own != .yes { fatalError("\(target) answered yes by \(r.path.debugDescription), which is \(own)") }
        }
        let small = policy.rules.count <= 2 && policy.rules.allSatisfy { $0.path.utf8.count <= 16 } && target.pattern.utf8.count <= 16
        for path in paths where target.matches(path) {
            switch login.access(path, list: list).allows(target.capability) {
            case .yes:
                guard let r = reach else { fatalError("\(target) answered none, yet \(path.debugDescription) is allowed") }
                if small && r.verdict != .yes { fatalError("\(target) answered \(r.verdict), yet \(path.debugDescription) is allowed") }
            case .unknown:
                if reach == nil { fatalError("\(target) answered none, yet \(path.debugDescription) is unknown") }
            case .no:
                break
            }
        }
    }
}

/// A small cluster for the targets that need a graph (eval queries, baselines).
enum World {
    static let cluster: Cluster = {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Namespace, metadata: {name: prod}}
            - {apiVersion: v1, kind: ServiceAccount, metadata: {name: ci, namespace: prod}}
            - {apiVersion: v1, kind: Secret, metadata: {name: db, namespace: prod}, type: Opaque}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata: {name: admin}
              rules:
              - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
              - {nonResourceURLs: ["/metrics", "/logs/*"], verbs: [get]}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: Role
              metadata: {name: deployer, namespace: prod}
              rules:
              - {apiGroups: ["", apps], resources: [pods, deployments, secrets], verbs: [get, list, create]}
              - {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create, bind]}
              - {apiGroups: [""], resources: [serviceaccounts], resourceNames: [ci], verbs: [impersonate]}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: RoleBinding
              metadata: {name: deployer, namespace: prod}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
              subjects:
              - {kind: ServiceAccount, name: ci, namespace: prod}
              - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRoleBinding
              metadata: {name: admins}
              roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
              subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            """
        return try! ManifestLoader().load(yaml: yaml).cluster
    }()
    static let graph = AccessGraph(cluster)
    static let evaluator = QueryEvaluator(graph: graph, decodeObject: ManifestLoader.decodeObject)
    /// Every finding of the world's report (its built-in-only ones included).
    static let allFindings: [Finding] = { let r = Report(graph: graph); return r.findings + r.builtIn }()
}
