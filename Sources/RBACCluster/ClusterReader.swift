import Foundation
public import RBACCore
public import RBACLoading

/// What a live read could not get, and why: answers that depend on it say so.
public struct ReadGap: Sendable, Hashable, CustomStringConvertible {
    /// The resource (`clusterroles`, `secrets`, `discovery`).
    public var resource: String
    /// For a namespaced read that failed in one namespace only.
    public var namespace: String?
    /// HTTP status, when the server answered.
    public var status: Int?
    public var reason: String

    public init(resource: String, namespace: String? = nil, status: Int? = nil, reason: String) {
        self.resource = resource
        self.namespace = namespace
        self.status = status
        self.reason = reason
    }

    public var description: String {
        "\(resource)\(namespace.map { " in namespace \($0)" } ?? ""): \(reason)"
    }

    /// Whether RBAC objects are missing: then a "no" or a list of who can may be short.
    public var isRBAC: Bool { ClusterReader.rbacResources.contains(resource) }
}

/// Everything read from a cluster.
public struct ClusterRead: Sendable {
    public var cluster: Cluster
    /// What could not be read.
    public var gaps: [ReadGap]
    /// The resources discovery found (for resolving what users type), or the built-in table.
    public var resources: [APIResource]
    public var diagnostics: [LoadDiagnostic]
    /// Objects, bytes on the wire (after gzip), requests and seconds.
    public var objects = 0
    public var bytes = 0
    public var requests = 0
    public var seconds = 0.0
    /// `--no-secrets`: secrets were not asked for at all.
    public var secretsSkipped = false
    /// Where it came from: `context "kind-dev" (/home/me/.kube/config)`.
    public var origin: String
    /// The server's URL.
    public var server: String

    /// Whether every RBAC object was read: a "no" can be trusted.
    public var rbacComplete: Bool { !gaps.contains { $0.isRBAC } }
}

/// Progress of a long read, for a status line.
public struct ReadProgress: Sendable {
    public var listsDone: Int
    public var listsTotal: Int
    public var objects: Int
    public var bytes: Int
}

/// Reads what rbacgraph needs from a live API server, as kubectl would list it, and decodes it
/// with the loader `-f` uses.
///
/// - The four RBAC kinds, ServiceAccounts, Namespaces, Pods and the workload kinds, each as a
///   list paged by `limit` and `continue` (a `410 Gone` on an expired token restarts that list).
/// - The External Secrets Operator's kinds and the Secrets Store CSI Driver's
///   SecretProviderClass (``externalTargets``), the same way, when discovery says the cluster
///   serves them (not installed is normal, not a gap; served but refused is a gap).
/// - Secrets **without values**: per namespace, the `Table` form with `includeObject=None`
///   (names, types and key counts); for `kubernetes.io/service-account-token` secrets only, a
///   metadata list (`PartialObjectMetadataList` with `fieldSelector=type=…`) for the
///   service-account annotation, keeping only `kubernetes.io/service-account.name` and `.uid`.
/// - Several lists at once (bounded), gzip, `429`/`5xx` retried with back-off honouring
///   `Retry-After`; a `403` on one kind is recorded as a ``ReadGap`` and the rest goes on.
public struct ClusterReader: Sendable {
    public struct Options: Sendable {
        public var readSecrets = true
        public var pageSize = 500
        /// Lists read at once.
        public var concurrency = 4
        /// Attempts per request after a `429`, a `5xx` or a broken connection.
        public var maxAttempts = 5
        /// The first back-off (doubled each attempt, at most 8 s) when no `Retry-After` is given.
        public var initialBackoff: Duration = .milliseconds(200)
        /// The longest `Retry-After` honoured.
        public var maxRetryAfter: Duration = .seconds(30)
        /// Restarts of one list after `410 Gone`.
        public var maxRestarts = 3
        public var progress: (@Sendable (ReadProgress) -> Void)?

        public init() {}
    }

    /// One kind to list.
    public struct Target: Sendable, Hashable {
        public var group: String
        public var version: String
        public var resource: String
        public var kind: String
        public var namespaced: Bool
        /// A custom resource (the External Secrets Operator's, the Secrets Store CSI Driver's):
        /// served only where it is installed, so a cluster not serving it is normal, not a gap.
        /// Listed once per version it may be served at; the read takes the one the group
        /// prefers, or the first listed the cluster serves.
        public var custom = false

        var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
        var basePath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
    }

    /// The kinds read, in this order (the order `snapshot` writes them).
    public static let targets: [Target] = [
        Target(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", kind: "ClusterRole", namespaced: false),
        Target(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false),
        Target(group: "rbac.authorization.k8s.io", version: "v1", resource: "roles", kind: "Role", namespaced: true),
        Target(group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", kind: "RoleBinding", namespaced: true),
        Target(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false),
        Target(group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true),
        Target(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true),
        Target(group: "", version: "v1", resource: "replicationcontrollers", kind: "ReplicationController", namespaced: true),
        Target(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true),
        Target(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true),
        Target(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true),
        Target(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true),
        Target(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true),
        Target(group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", namespaced: true),
    ] + externalTargets

    /// The External Secrets Operator's kinds at every version a release served
    /// (`config/crds/bases` of external-secrets/external-secrets): SecretStore,
    /// ClusterSecretStore and ExternalSecret at `v1` (0.16 on), `v1beta1` (0.5 to 0.16; no longer served from 0.17) and
    /// `v1alpha1` (until 0.15); ClusterExternalSecret at `v1` and `v1beta1`; PushSecret at
    /// `v1alpha1`, the only version it has ever had (there is no PushSecret `v1beta1` or `v1`).
    /// And the Secrets Store CSI Driver's SecretProviderClass. Read when the cluster serves them,
    /// each kind once: at the group's preferred version, else the first served in this order.
    static let externalTargets: [Target] = ["v1", "v1beta1", "v1alpha1"].flatMap { v in
        [
            Target(group: "external-secrets.io", version: v, resource: "secretstores", kind: "SecretStore", namespaced: true, custom: true),
            Target(group: "external-secrets.io", version: v, resource: "clustersecretstores", kind: "ClusterSecretStore", namespaced: false, custom: true),
            Target(group: "external-secrets.io", version: v, resource: "externalsecrets", kind: "ExternalSecret", namespaced: true, custom: true),
        ] + (v == "v1alpha1" ? [] : [
            Target(group: "external-secrets.io", version: v, resource: "clusterexternalsecrets", kind: "ClusterExternalSecret", namespaced: false, custom: true),
        ])
    } + [
        Target(group: "external-secrets.io", version: "v1alpha1", resource: "pushsecrets", kind: "PushSecret", namespaced: true, custom: true),
        Target(group: "secrets-store.csi.x-k8s.io", version: "v1", resource: "secretproviderclasses", kind: "SecretProviderClass", namespaced: true, custom: true),
    ]

    /// The resources of ``externalTargets``.
    static let externalResources: Set<String> = Set(externalTargets.map(\.resource))

    static let rbacResources: Set<String> = ["clusterroles", "clusterrolebindings", "roles", "rolebindings"]

    /// The only secret annotations kept: which service account a legacy token belongs to.
    public static let keptSecretAnnotations: Set<String> = [
        "kubernetes.io/service-account.name", "kubernetes.io/service-account.uid",
    ]

    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io"
    static let metadataAccept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"

    public var transport: any APITransport
    public var options: Options
    public var server: String
    public var origin: String
    /// The context's namespace: where secrets are read when namespaces cannot be listed.
    public var contextNamespace: String?

    public init(transport: any APITransport, server: String, origin: String, contextNamespace: String? = nil, options: Options = Options()) {
        self.transport = transport
        self.server = server
        self.origin = origin
        self.contextNamespace = contextNamespace
        self.options = options
    }

    /// Reads the cluster. Throws only when nothing useful can be read (authentication
    /// refused, server unreachable); every other failure becomes a ``ReadGap``.
    public func read() async throws(ClusterError) -> ClusterRead {
        let start = ContinuousClock.now
        let state = ReadState(options: options)
        let discovery = await Discovery.read(using: self, state: state)
        if let fatal = await state.fatal { throw fatal }

        // Lists, bounded. Each entry: the versions of one kind to try in turn (one for a
        // built-in kind; for a custom resource whose version discovery could not tell, each
        // version it may be served at, until one is).
        var targets: [(versions: [Target], tried: Bool)] = []
        for t in Self.targets {
            if t.custom {
                // One version of each custom resource: the group's preferred one when served,
                // else the first listed served; not served at all is normal (not installed).
                // Where discovery failed, each version it may be served at, in turn.
                guard !targets.contains(where: { $0.versions[0].group == t.group && $0.versions[0].resource == t.resource }) else { continue }
                let versions = Self.targets.filter { $0.custom && $0.group == t.group && $0.resource == t.resource }
                let tries = discovery.versionsToTry(versions.map { ($0.group, $0.groupVersion, $0.resource) })
                let chosen = tries.versions.compactMap { gv in versions.first { $0.groupVersion == gv } }
                if !chosen.isEmpty { targets.append((chosen, !tries.served)) }
                continue
            }
            if discovery.serves(t.groupVersion, resource: t.resource, group: t.group) == false {
                await state.gap(ReadGap(resource: t.resource, reason: "not served by this cluster (\(t.groupVersion))"))
                continue
            }
            targets.append(([t], false))
        }
        await state.setTotal(targets.count)
        var lists: [Target: ManifestLoader.Result] = [:]
        await withTaskGroup(of: (Target, ManifestLoader.Result?).self) { group in
            var next = 0
            func add() {
                let (versions, tried) = targets[next]
                next += 1
                group.addTask {
                    // Where discovery could not tell, a 404 is "not served at this version":
                    // the next is tried, and none served is not installed (no gap).
                    for t in versions {
                        switch await self.list(t, state: state, notFoundIsAbsent: tried) {
                        case .read(let r): return (t, r)
                        case .notServed: continue
                        case .failed: return (t, nil)
                        }
                    }
                    return (versions[0], nil)
                }
            }
            while next < min(options.concurrency, targets.count) { add() }
            for await (t, r) in group {
                if let r { lists[t] = r }
                await state.listDone()
                if next < targets.count { add() }
            }
        }
        if let fatal = await state.fatal { throw fatal }

        var cluster = Cluster()
        var diagnostics: [LoadDiagnostic] = []
        for t in targets.flatMap(\.versions) {
            guard let r = lists[t] else { continue }
            cluster.append(contentsOf: r.cluster)
            diagnostics += r.diagnostics
        }

        // Secrets, without values.
        if options.readSecrets {
            var namespaces = cluster.namespaces.map(\.name)
            if lists[Self.targets.first { $0.resource == "namespaces" }!] == nil {
                var seen = Set<String>()
                let named = cluster.roles.compactMap(\.namespace) + cluster.bindings.compactMap(\.namespace)
                    + cluster.serviceAccounts.map(\.namespace) + cluster.workloads.map(\.namespace)
                    + [contextNamespace ?? "default"]
                namespaces = named.filter { !$0.isEmpty && seen.insert($0).inserted }.sorted()
                await state.gap(ReadGap(
                    resource: "secrets",
                    reason: "namespaces could not be listed: secrets were read only in the namespaces other objects name (\(namespaces.joined(separator: ", ")))"))
            }
            cluster.secrets = await Secrets.read(namespaces: namespaces, using: self, state: state)
            if let fatal = await state.fatal { throw fatal }
        }

        // The resource of each custom kind an ExternalSecret writes (target.manifest), as
        // discovery names it: kept as its CustomResourceDefinition would be, so answers (and a
        // snapshot) use the cluster's plural, not a guess.
        if discovery.served != nil {
            for es in cluster.external.externalSecrets {
                guard let m = es.manifest, !m.group.isEmpty,
                    !cluster.external.customResourceDefinitions.contains(where: { $0.group == m.group && $0.kind == m.kind }),
                    let r = discovery.resources.first(where: { $0.group == m.group && $0.kind == m.kind })
                else { continue }
                cluster.external.customResourceDefinitions.append(CustomResourceDefinition(
                    group: r.group, kind: m.kind, plural: r.name, namespaced: r.namespaced,
                    source: SourceLocation(file: "\(server)/apis/\(m.group) (discovery)")))
            }
        }

        let elapsed = ContinuousClock.now - start
        var out = ClusterRead(
            cluster: cluster, gaps: await state.gaps, resources: discovery.resources, diagnostics: diagnostics,
            origin: origin, server: server)
        out.objects = cluster.objectCount
        out.bytes = await state.bytes
        out.requests = await state.requests
        out.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        out.secretsSkipped = !options.readSecrets
        return out
    }

    // MARK: One list

    /// What listing one kind gave.
    enum ListOutcome {
        case read(ManifestLoader.Result)
        /// `404` on its first page, with `notFoundIsAbsent`: not served at that version.
        case notServed
        /// It could not be read: the gap is recorded.
        case failed
    }

    /// Reads every page of one kind; `nil` when it could not be read (the gap is recorded).
    func list(_ t: Target, state: ReadState) async -> ManifestLoader.Result? {
        if case .read(let r) = await list(t, state: state, notFoundIsAbsent: false) { return r }
        return nil
    }

    /// Reads every page of one kind. With `notFoundIsAbsent`, a `404` on the first page is no
    /// gap: the kind is not served at that version (``ListOutcome/notServed``).
    func list(_ t: Target, state: ReadState, notFoundIsAbsent: Bool) async -> ListOutcome {
        var restarts = 0
        restart: while true {
            var combined: ManifestLoader.Result? = nil
            var token: String? = nil
            var page = 0
            while true {
                var path = "\(t.basePath)/\(t.resource)?limit=\(options.pageSize)"
                if let token { path += "&continue=\(Self.queryEscape(token))" }
                let name = "\(server)\(t.basePath)/\(t.resource)" + (page > 0 ? "#page\(page + 1)" : "")
                let outcome = await fetch(APIRequest(path: path), state: state) { response in
                    let (r, bytes) = try await ManifestLoader().load(body: response.body, name: name, itemKind: t.kind)
                    await state.add(bytes: bytes, objects: r.cluster.objectCount)
                    if r.hasErrors {
                        // A page cut short or garbled: read it again rather than keep half of it.
                        throw ClusterError.protocolError(r.diagnostics.first { $0.severity == .error }!.description)
                    }
                    return r
                }
                switch outcome {
                case .success(let r):
                    if combined == nil {
                        combined = r
                    } else {
                        combined?.cluster.append(contentsOf: r.cluster)
                        combined?.diagnostics += r.diagnostics
                    }
                    guard let next = r.listContinue, !next.isEmpty else { return .read(combined ?? r) }
                    token = next
                    page += 1
                case .failure(let status, let reason):
                    if status == 410, token != nil, restarts < options.maxRestarts {
                        restarts += 1
                        continue restart  // the continue token expired: list again from the start
                    }
                    if status == 404, notFoundIsAbsent, page == 0 { return .notServed }
                    await state.gap(ReadGap(resource: t.resource, status: status, reason: reason))
                    return .failed
                }
            }
        }
    }

    enum Outcome<T> {
        case success(T)
        case failure(status: Int?, reason: String)
    }

    /// Sends a request, retrying `429`, `5xx`, broken connections and broken bodies; a `401`
    /// ends the whole read.
    func fetch<T>(
        _ request: APIRequest, state: ReadState, decode: (APIResponse) async throws -> T
    ) async -> Outcome<T> {
        var attempt = 0
        var lastReason = ""
        var lastStatus: Int? = nil
        while attempt < options.maxAttempts {
            attempt += 1
            if await state.fatal != nil { return .failure(status: nil, reason: "read stopped") }
            await state.countRequest()
            let response: APIResponse
            do {
                response = try await transport.send(request)
            } catch {
                // Credentials that cannot be had and certificates that are not trusted fail
                // every request alike: stop the read.
                if let e = error as? ClusterError {
                    switch e {
                    case .authentication, .tls, .kubeconfig:
                        await state.fail(e)
                        return .failure(status: nil, reason: "\(e)")
                    default: break
                    }
                }
                lastReason = "\(error)"
                lastStatus = nil
                try? await Task.sleep(for: backoff(attempt: attempt, retryAfter: nil))
                continue
            }
            switch response.status {
            case 200:
                do {
                    return .success(try await decode(response))
                } catch {
                    lastReason = "\(error)"
                    lastStatus = nil
                    try? await Task.sleep(for: backoff(attempt: attempt, retryAfter: nil))
                    continue
                }
            case 401:
                let message = await Self.statusMessage(response)
                await state.fail(.authentication(
                    "\(server) refused the credentials of \(origin) (401 Unauthorized\(message.isEmpty ? "" : ": \(message)")): "
                        + "check that `kubectl get --raw /api` works with the same kubeconfig"))
                return .failure(status: 401, reason: "unauthorized")
            case 429, 500...599:
                lastStatus = response.status
                lastReason = await Self.statusMessage(response)
                try? await Task.sleep(for: backoff(attempt: attempt, retryAfter: response.headers["retry-after"]))
                continue
            default:
                let message = await Self.statusMessage(response)
                let reason: String
                switch response.status {
                case 403: reason = "forbidden" + (message.isEmpty ? "" : ": \(message)")
                case 404: reason = "not found" + (message.isEmpty ? "" : ": \(message)")
                case 410: reason = "gone (the continue token expired)"
                default: reason = "HTTP \(response.status)" + (message.isEmpty ? "" : ": \(message)")
                }
                return .failure(status: response.status, reason: reason)
            }
        }
        let what = lastStatus.map { "HTTP \($0)" } ?? "failed"
        return .failure(status: lastStatus, reason: "\(what) after \(options.maxAttempts) attempts\(lastReason.isEmpty ? "" : ": \(lastReason)")")
    }

    func backoff(attempt: Int, retryAfter: String?) -> Duration {
        if let retryAfter, let seconds = Int(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return min(.seconds(seconds), options.maxRetryAfter)
        }
        let factor = 1 << min(attempt - 1, 6)
        return min(options.initialBackoff * factor, .seconds(8))
    }

    /// The `message` of a `Status` body, if the body is one.
    static func statusMessage(_ response: APIResponse) async -> String {
        guard let bytes = try? await response.body.collect(limit: 1 << 20), !bytes.isEmpty else { return "" }
        if let v = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)), let m = v["message"]?.stringValue { return m }
        return ""
    }

    static func queryEscape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Fetches a small JSON document (discovery, a Table page).
    func getJSON(_ path: String, accept: String = "application/json", state: ReadState) async -> Outcome<JSONValue> {
        await fetch(APIRequest(path: path, accept: accept), state: state) { response in
            let bytes = try await response.body.collect()
            await state.add(bytes: bytes.count, objects: 0)
            do {
                return try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
            } catch {
                throw ClusterError.protocolError("\(path): not JSON: \(error)")
            }
        }
    }
}

/// Counters and gaps shared by the concurrent lists.
actor ReadState {
    let options: ClusterReader.Options
    private(set) var gaps: [ReadGap] = []
    private(set) var bytes = 0
    private(set) var objects = 0
    private(set) var requests = 0
    private(set) var fatal: ClusterError?
    private var listsDone = 0
    private var listsTotal = 0

    init(options: ClusterReader.Options) { self.options = options }

    func gap(_ g: ReadGap) { gaps.append(g) }
    func fail(_ e: ClusterError) { if fatal == nil { fatal = e } }
    func countRequest() { requests += 1 }
    func setTotal(_ n: Int) { listsTotal = n }

    func add(bytes b: Int, objects o: Int) {
        bytes += b
        objects += o
        report()
    }

    func listDone() {
        listsDone += 1
        report()
    }

    private func report() {
        options.progress?(ReadProgress(listsDone: listsDone, listsTotal: listsTotal, objects: objects, bytes: bytes))
    }
}
