/// The least-privilege report: findings, what each principal holds (and, with audit logs,
/// uses), and the minimal policies — the data behind every output format.
public struct Report: Sendable {
    /// One principal's summary. Users and service accounts are taken as the API server sees
    /// them, with their groups (`system:authenticated`, a service account's groups).
    public struct Principal: Sendable {
        /// `user:NAME`, `group:NAME` or `sa:NS/NAME`.
        public var name: String
        /// What it can do, compacted: one line per scope and resource.
        public var permissions: [PermissionLine]
        /// The bindings (and roles) it holds permissions through, by display name.
        public var grants: [(binding: String, role: String)]
        /// The same bindings and roles, by handle in the report's graph.
        public var grantHandles: [BindingAndRole]
        /// Its most severe finding.
        public var worst: Severity?
        public var findingCount: Int
        /// From audit logs, when given.
        public var usage: LeastPrivilege.Usage?
    }

    /// A binding and the role it binds, by handle.
    public struct BindingAndRole: Hashable, Sendable {
        public var binding: BindingID
        public var role: RoleID
    }

    /// What was analysed: the report's header, and its `input` in JSON.
    public struct Input: Hashable, Sendable {
        /// The paths given with `-f`.
        public var files: [String]
        /// Objects loaded from them.
        public var objects: Int
        /// The audit logs given, and the requests kept from them (nil without audit logs).
        public var auditLogs: [String]
        public var auditRequests: Int?

        /// For a live cluster (no files): where it was read, `context "dev" (https://…)`.
        public var cluster: String?
        /// What could not be read from the cluster (`pods: forbidden …`), and what that leaves
        /// unknown (`pod facts unknown, not false: …`): findings resting on it may be missing.
        public var notRead: [String]
        public var unknown: [String]
        /// The Vault folders given (`--vault`), and the roles and policies read from them.
        public var vault: VaultFolders?

        /// The `--vault` folders of a run and what they held.
        public struct VaultFolders: Hashable, Sendable {
            public var folders: [String]
            public var roles: Int
            public var policies: Int

            public init(folders: [String], roles: Int, policies: Int) {
                self.folders = folders
                self.roles = roles
                self.policies = policies
            }
        }

        public init(
            files: [String], objects: Int, auditLogs: [String] = [], auditRequests: Int? = nil,
            cluster: String? = nil, notRead: [String] = [], unknown: [String] = [], vault: VaultFolders? = nil
        ) {
            self.files = files
            self.objects = objects
            self.auditLogs = auditLogs
            self.auditRequests = auditRequests
            self.cluster = cluster
            self.notRead = notRead
            self.unknown = unknown
            self.vault = vault
        }

        /// `Input: FILES — N objects; Vault: DIRS (R roles, P policies); audit: LOGS (M
        /// requests)`, then what could not be read and what that leaves unknown.
        public var summary: String {
            "Input: \(cluster.map { "the cluster of \($0)" } ?? files.joined(separator: ", ")) — \(objects) objects"
                + (vault.map { "; Vault: \($0.folders.joined(separator: ", ")) (\($0.roles) roles, \($0.policies) policies)" } ?? "")
                + (auditLogs.isEmpty ? "" : "; audit: \(auditLogs.joined(separator: ", ")) (\(auditRequests ?? 0) requests)")
                + (notRead.isEmpty ? "" : "; not read from the cluster (findings resting on it may be missing): \(notRead.joined(separator: "; "))")
                + (unknown.isEmpty ? "" : "; " + unknown.joined(separator: "; "))
        }
    }

    /// Verbs on one resource, or one non-resource URL, in one scope.
    public struct PermissionLine: Hashable, Sendable {
        /// `cluster` or a namespace.
        public var scope: String
        /// `secrets`, `deployments.apps`, `pods/exec`, or a non-resource URL.
        public var resource: String
        /// Whether ``resource`` is a non-resource URL (`/metrics`, `/healthz*`).
        public var isNonResourceURL: Bool
        public var verbs: [String]
        public var resourceNames: [String]

        public init(scope: String, resource: String, verbs: [String], resourceNames: [String] = [], isNonResourceURL: Bool = false) {
            self.isNonResourceURL = isNonResourceURL
            self.scope = scope
            self.resource = resource
            self.verbs = verbs
            self.resourceNames = resourceNames
        }
    }

    /// Rules that could not check what the input points at, and why.
    public struct NotChecked: Hashable, Sendable {
        public var ruleIDs: [String]
        public var reason: String
    }

    public var findings: [Finding]
    /// Rules whose input is missing although the manifests point at it (Vault stores without
    /// `--vault`): their silence is not a clean bill.
    public var notChecked: [NotChecked]
    /// Findings left out by the baseline (`--ignore`).
    public var ignored: [Finding]
    /// Baseline lines that leave out no finding: stale, or a typo.
    public var unmatchedBaseline: [String]
    /// Findings that rest only on unmodified objects of the API server's built-in policy
    /// (every cluster has them): listed apart, never counted by `--fail-on`.
    public var builtIn: [Finding]
    /// What each principal holds, built one principal at a time as it is read.
    public var principals: Principals
    /// Principals that hold permissions only through built-in bindings of built-in roles
    /// (`system:kube-scheduler`, the controllers' service accounts…): named apart.
    public var builtInPrincipals: [String]
    /// The built-in policy merged into the input (``BuiltinPolicyMerge/summary``), or `nil`.
    public var builtinPolicy: String?
    public var rules: [FindingRule]
    /// What was analysed, for the report's header.
    public var inputSummary: String
    /// What was analysed, as data (nil when the caller gave a summary only).
    public var input: Input?
    /// What the rules looked at (the escalation graph among it), for drawing findings.
    public let context: ReportContext

    /// Builds the report.
    /// - Parameters:
    ///   - namespace: only findings and principals of this namespace (`nil`: everything).
    ///   - events: audit events, for usage and minimal policies.
    ///   - ignore: baseline keys (``Finding/baselineKey``, or `RULE OBJECT` prefixes) to leave out.
    ///   - subject: only findings and principals of the identities matching this pattern.
    ///   - detail: every finding instead of digests (``ReportContext/detail``).
    public init(
        graph: AccessGraph, rules: [FindingRule] = FindingRule.all, namespace: String? = nil, events: [AuditEvent] = [],
        ignore: [String] = [], inputSummary: String = "", input: Input? = nil, builtinPolicy: String? = nil,
        subject: IdentityPattern? = nil, detail: Bool = false
    ) {
        let part = Findings(graph: graph, rules: rules, namespace: namespace, ignore: ignore, subject: subject, detail: detail)
        let context = part.context
        self.context = context
        self.unmatchedBaseline = part.unmatchedBaseline
        self.builtIn = part.builtIn
        self.findings = part.findings
        self.ignored = part.ignored
        self.rules = rules
        self.notChecked = Self.notChecked(rules: rules, context: context, vaultGiven: input?.vault != nil)
        self.inputSummary = input?.summary ?? inputSummary
        self.input = input
        self.builtinPolicy = builtinPolicy
        let usages = events.isEmpty ? [] : LeastPrivilege(graph: graph, events: events).usages
        let everyone = Self.principals(graph: graph, findings: findings, usages: usages, namespace: namespace)
        let onlyBuiltIn = { (p: Principals.Entry) in
            p.usage == nil && !p.grantHandles.isEmpty && p.findingCount == 0 && p.grantHandles.allSatisfy { graph.bindings[$0.binding].origin.isBuiltIn }
        }
        let matching = everyone.entries.filter { p in subject.map { $0.matches(p.name) } ?? true }
        self.principals = Principals(graph: graph, entries: matching.filter { !onlyBuiltIn($0) })
        self.builtInPrincipals = matching.filter(onlyBuiltIn).map(\.name).sorted()
    }

    /// The rules of `rules` that read Vault when the input holds no Vault roles or policies
    /// but its manifests use Vault.
    /// - Parameter vaultGiven: whether Vault folders were given (and held nothing that loaded).
    static func notChecked(rules: [FindingRule], context: ReportContext, vaultGiven: Bool) -> [NotChecked] {
        let vaultRules = rules.filter { $0.inputs.contains(.vault) }.map(\.id)
        guard !vaultRules.isEmpty, context.graph.external.vault.isEmpty else { return [] }
        let users = context.vaultUsers()
        guard let first = users.first else { return [] }
        let who = users.count == 1 ? "\(first) uses" : "\(first) and \(users.count - 1) more use"
        let missing = vaultGiven ? "no Vault role or policy loaded from the --vault folders" : "the input holds no Vault roles or policies (give --vault DIR)"
        return [NotChecked(ruleIDs: vaultRules, reason: "\(who) Vault, but \(missing)")]
    }

    /// The severities from the most severe down, the order every format lists them in.
    public static let severityOrder: [Severity] = [.critical, .high, .medium, .low, .info]

    /// Counts per severity.
    public var summary: [(Severity, Int)] {
        Self.severityOrder.map { s in (s, findings.filter { $0.severity == s }.count) }
    }

    /// Findings at or above `severity`.
    public func findings(atLeast severity: Severity) -> [Finding] { findings.filter { $0.severity >= severity } }

    /// A baseline file accepting every finding of this report, those a baseline left out
    /// already included (`report --write-baseline`): one ``Finding/baselineKey`` per line,
    /// sorted, after `#` comment lines. Findings of the built-in policy alone are left out:
    /// they never count.
    public func baseline(header: [String] = []) -> String {
        // Distinct byte for byte: two spellings of one name are two identities, two entries.
        let keys = (findings + ignored).map(\.baselineKey).exactlyDistinctSorted()
        return (header.map { "# " + $0 } + keys).joined(separator: "\n") + "\n"
    }
}

/// The origin of the RBAC objects of a graph by kind, namespace and name, to tell findings that
/// rest only on the built-in policy.
struct ObjectOrigins {
    private var rbacObjects: [ObjectKey: ObjectOrigin] = [:]
    private var inputObjects = Set<ObjectKey>()

    init(_ graph: AccessGraph) {
        for r in graph.roles { rbacObjects[ObjectKey(r)] = r.origin }
        for b in graph.bindings { rbacObjects[ObjectKey(b)] = b.origin }
        for sa in graph.serviceAccounts { inputObjects.insert(ObjectKey(kind: "ServiceAccount", namespace: sa.namespace, name: sa.name)) }
        for n in graph.namespaces { inputObjects.insert(ObjectKey(kind: "Namespace", name: n.name)) }
        for s in graph.secrets { inputObjects.insert(ObjectKey(kind: "Secret", namespace: s.namespace, name: s.name)) }
        for w in graph.workloads { inputObjects.insert(ObjectKey(kind: w.kind, namespace: w.namespace, name: w.name)) }
    }

    /// Whether a finding is about built-in objects only: at least one RBAC object it names is an
    /// unmodified built-in one, and none it names is the input's (an RBAC object written or
    /// changed by the input, or any other object the input holds).
    func isBuiltInOnly(_ f: Finding) -> Bool {
        var sawBuiltIn = false
        for ref in [f.object] + f.related {
            let key = ref.key
            if let origin = rbacObjects[key] {
                if !origin.isBuiltIn { return false }
                sawBuiltIn = true
            } else if inputObjects.contains(key) {
                return false
            }
        }
        return sawBuiltIn
    }
}
