import Foundation

/// Everything needed to talk to one API server: where, how to trust it, and who we are.
/// Made from a kubeconfig context (``KubeconfigLoader``) or from a pod's in-cluster files.
public struct ConnectionConfig: Sendable {
    /// The server's URL (`https://host:port`, maybe with a path prefix).
    public var server: String
    /// PEM certificates to trust instead of the system's.
    public var certificateAuthorityPEM: [UInt8]?
    public var insecureSkipTLSVerify = false
    /// The name to expect in the server's certificate (and to send as SNI).
    public var tlsServerName: String?
    /// `http://`, `https://` or `socks5://` proxy.
    public var proxyURL: String?
    public var credentials = Credentials()
    /// The context's namespace, if it names one.
    public var namespace: String?
    /// How the configuration was found, for messages: `context "kind-dev" (~/.kube/config)`.
    public var origin: String

    public init(server: String, origin: String) {
        self.server = server
        self.origin = origin
    }

    /// How the client proves who it is.
    public struct Credentials: Sendable {
        /// PEM certificate and key.
        public var clientCertificate: (certificate: [UInt8], key: [UInt8])?
        public var token: String?
        /// Read again whenever it changes (projected service-account tokens rotate).
        public var tokenFile: String?
        public var exec: Kubeconfig.ExecConfig?

        public init() {}
    }
}

/// Finds the kubeconfig and the context as kubectl does, or the in-cluster configuration.
public struct KubeconfigLoader: Sendable {
    /// `--kubeconfig`: only this file, which must exist.
    public var explicitPath: String?
    /// `--context`: instead of `current-context`.
    public var context: String?
    public var environment: [String: String]
    /// Where a pod's service-account files are.
    public var inClusterRoot = "/var/run/secrets/kubernetes.io/serviceaccount"

    public init(explicitPath: String? = nil, context: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.explicitPath = explicitPath
        self.context = context
        self.environment = environment
    }

    /// The files kubectl would read, in order: `--kubeconfig`, else every existing file of
    /// `KUBECONFIG` (colon-separated; missing ones are skipped), else `~/.kube/config`.
    public func files() throws(ClusterError) -> [String] {
        if let explicitPath {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw .kubeconfig("\(explicitPath): no such kubeconfig file (--kubeconfig)")
            }
            return [explicitPath]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter {
                !$0.isEmpty && seen.insert($0).inserted && FileManager.default.fileExists(atPath: $0)
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = (home as NSString).appendingPathComponent(".kube/config")
        return FileManager.default.fileExists(atPath: path) ? [path] : []
    }

    /// The connection for the chosen context, or the in-cluster one when there is no
    /// kubeconfig at all and the process runs in a pod.
    public func resolve() throws(ClusterError) -> ConnectionConfig {
        let files = try files()
        var configs: [Kubeconfig] = []
        for f in files { configs.append(try Kubeconfig.read(file: f)) }
        let merged = Kubeconfig.merge(configs)
        let empty = merged.clusters.isEmpty && merged.contexts.isEmpty && merged.users.isEmpty
        if empty && explicitPath == nil && context == nil, let inCluster = try inClusterConfig() {
            return inCluster
        }
        return try Self.connection(merged, context: context)
    }

    /// The connection a context describes.
    public static func connection(_ config: Kubeconfig, context override: String? = nil) throws(ClusterError) -> ConnectionConfig {
        let where_ = config.files.isEmpty ? "no kubeconfig" : config.files.joined(separator: ":")
        if config.files.isEmpty {
            if let override {
                // A context was named (--context, or a `context:NAME` side of diff): only a
                // kubeconfig can say what it is.
                throw .kubeconfig(
                    "no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist) to look up context \"\(override)\" in: "
                        + "give --kubeconfig FILE")
            }
            throw .kubeconfig(
                "no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist) and not running in a pod: "
                    + "give --kubeconfig FILE or --context, or read manifests with -f PATH")
        }
        guard let name = override ?? config.currentContext, !name.isEmpty else {
            throw .kubeconfig("\(where_): current-context is not set: give --context NAME (kubectl config get-contexts lists them)")
        }
        guard let ctx = config.contexts[name] else {
            let known = config.contexts.keys.sorted().joined(separator: ", ")
            throw .kubeconfig("\(where_): context \"\(name)\" does not exist\(known.isEmpty ? "" : " (contexts: \(known))")")
        }
        guard let cluster = config.clusters[ctx.cluster] else {
            throw .kubeconfig("\(where_): context \"\(name)\" names cluster \"\(ctx.cluster)\", which is not defined")
        }
        guard !cluster.server.isEmpty else {
            throw .kubeconfig("\(cluster.source): cluster \"\(ctx.cluster)\" has no server")
        }
        var out = ConnectionConfig(server: cluster.server, origin: "context \"\(name)\" (\(where_))")
        out.namespace = ctx.namespace
        out.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        out.tlsServerName = cluster.tlsServerName
        out.proxyURL = cluster.proxyURL
        if let data = cluster.certificateAuthorityData {
            out.certificateAuthorityPEM = data
        } else if let file = cluster.certificateAuthority {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .kubeconfig("\(cluster.source): cluster \"\(ctx.cluster)\": cannot read certificate-authority \(file)")
            }
            out.certificateAuthorityPEM = Array(data)
        }
        if ctx.user.isEmpty { return out }
        guard let user = config.users[ctx.user] else {
            throw .kubeconfig("\(where_): context \"\(name)\" names user \"\(ctx.user)\", which is not defined")
        }
        out.credentials = try credentials(user, name: ctx.user)
        return out
    }

    static func credentials(_ user: Kubeconfig.User, name: String) throws(ClusterError) -> ConnectionConfig.Credentials {
        if let provider = user.authProvider {
            throw .authentication(
                "user \"\(name)\" (\(user.source)) uses auth-provider \"\(provider)\", which kubectl removed in 1.26: "
                    + "switch the user to an exec credential plugin (gke-gcloud-auth-plugin for GKE, kubelogin for Azure and OIDC) "
                    + "and run rbacgraph again")
        }
        if user.hasBasicAuth {
            throw .authentication(
                "user \"\(name)\" (\(user.source)) uses username/password (basic auth), which API servers removed in 1.19: "
                    + "give the user a client certificate, a token or an exec plugin")
        }
        var c = ConnectionConfig.Credentials()
        func read(_ path: String, _ what: String) throws(ClusterError) -> [UInt8] {
            guard let d = FileManager.default.contents(atPath: path) else {
                throw .kubeconfig("\(user.source): user \"\(name)\": cannot read \(what) \(path)")
            }
            return Array(d)
        }
        var cert = user.clientCertificateData
        if cert == nil, let p = user.clientCertificate { cert = try read(p, "client-certificate") }
        var key = user.clientKeyData
        if key == nil, let p = user.clientKey { key = try read(p, "client-key") }
        switch (cert, key) {
        case (let cert?, let key?): c.clientCertificate = (cert, key)
        case (nil, nil): break
        default:
            throw .kubeconfig("\(user.source): user \"\(name)\": a client certificate needs both the certificate and the key")
        }
        c.token = user.token.flatMap { $0.isEmpty ? nil : $0 }
        c.tokenFile = user.tokenFile
        c.exec = user.exec
        return c
    }

    /// The configuration of a pod: `KUBERNETES_SERVICE_HOST`/`PORT`, the service account's
    /// token (re-read as it rotates) and CA. `nil` outside a pod.
    public func inClusterConfig() throws(ClusterError) -> ConnectionConfig? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let tokenPath = (inClusterRoot as NSString).appendingPathComponent("token")
        guard FileManager.default.fileExists(atPath: tokenPath) else {
            throw .kubeconfig("in a pod (KUBERNETES_SERVICE_HOST is set) but \(tokenPath) does not exist: is automountServiceAccountToken off?")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var out = ConnectionConfig(server: "https://\(hostPart):\(port)", origin: "in-cluster configuration (\(inClusterRoot))")
        out.credentials.tokenFile = tokenPath
        if let ca = FileManager.default.contents(atPath: (inClusterRoot as NSString).appendingPathComponent("ca.crt")) {
            out.certificateAuthorityPEM = Array(ca)
        }
        if let ns = FileManager.default.contents(atPath: (inClusterRoot as NSString).appendingPathComponent("namespace")) {
            out.namespace = String(decoding: ns, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return out
    }
}
