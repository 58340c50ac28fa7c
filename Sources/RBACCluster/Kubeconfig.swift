import Foundation
import RBACCore
import RBACLoading

/// A kubeconfig file, or several merged: clusters, users and contexts by name.
///
/// Merging follows kubectl's rules (client-go's loading rules): files are read in order and,
/// for every map (clusters, users, contexts) and for `current-context`, the first file that
/// sets a value wins; later files never overwrite. Relative paths in a file
/// (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`, an exec
/// `command` with a slash) are resolved against that file's folder before merging.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        public var proxyURL: String?
        public var source: String
    }

    /// An exec credential plugin (`users[].user.exec`).
    public struct ExecConfig: Sendable, Equatable {
        public enum InteractiveMode: String, Sendable {
            case never = "Never", ifAvailable = "IfAvailable", always = "Always"
        }
        public var apiVersion: String
        public var command: String
        public var args: [String] = []
        public var env: [(name: String, value: String)] = []
        public var provideClusterInfo = false
        public var interactiveMode: InteractiveMode = .ifAvailable
        public var installHint: String?

        public static func == (a: ExecConfig, b: ExecConfig) -> Bool {
            a.apiVersion == b.apiVersion && a.command == b.command && a.args == b.args
                && a.env.map(\.name) == b.env.map(\.name) && a.env.map(\.value) == b.env.map(\.value)
                && a.provideClusterInfo == b.provideClusterInfo && a.interactiveMode == b.interactiveMode
        }
    }

    public struct User: Sendable, Equatable {
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var token: String?
        public var tokenFile: String?
        public var exec: ExecConfig?
        /// Set when the entry has an `auth-provider` (unsupported: its name).
        public var authProvider: String?
        /// Set when the entry has `username`/`password` (basic auth, unsupported).
        public var hasBasicAuth = false
        public var source: String
    }

    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files read, in order.
    public var files: [String] = []

    public init() {}

    // MARK: Reading

    /// Reads one kubeconfig file.
    public static func read(file path: String) throws(ClusterError) -> Kubeconfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .kubeconfig("\(path): cannot read the kubeconfig file")
        }
        return try read(bytes: Array(data), file: path)
    }

    /// Reads one kubeconfig from its bytes (YAML or JSON); `file` names it in errors and
    /// anchors its relative paths. Nothing is read from disk.
    public static func read(bytes: [UInt8], file: String) throws(ClusterError) -> Kubeconfig {
        let tree: JSONValue
        do {
            tree = try YAMLTree.parse(bytes)
        } catch {
            throw .kubeconfig("\(file):\(error.line):\(error.column): error: \(error.message)")
        }
        return try parse(tree, file: file)
    }

    /// Merges files by kubectl's rules: the first file to set a name or `current-context` wins.
    public static func merge(_ configs: [Kubeconfig]) -> Kubeconfig {
        var out = Kubeconfig()
        for c in configs {
            out.files += c.files
            if out.currentContext == nil || out.currentContext == "" { out.currentContext = c.currentContext }
            out.clusters.merge(c.clusters) { first, _ in first }
            out.users.merge(c.users) { first, _ in first }
            out.contexts.merge(c.contexts) { first, _ in first }
        }
        return out
    }

    /// Decodes a parsed kubeconfig; `file` names it in errors and anchors its relative paths.
    static func parse(_ tree: JSONValue, file: String) throws(ClusterError) -> Kubeconfig {
        var out = Kubeconfig()
        out.files = [file]
        let dir = (file as NSString).deletingLastPathComponent
        func resolve(_ p: String?) -> String? {
            guard let p, !p.isEmpty else { return nil }
            if p.hasPrefix("/") || dir.isEmpty { return p }
            return ((dir as NSString).appendingPathComponent(p) as NSString).standardizingPath
        }
        func data(_ v: JSONValue?, _ field: String) throws(ClusterError) -> [UInt8]? {
            guard let s = v?.stringValue, !s.isEmpty else { return nil }
            guard let d = Data(base64Encoded: s.filter { !$0.isWhitespace }) else {
                throw .kubeconfig("\(file): \(field) is not valid base64")
            }
            return Array(d)
        }
        func named(_ key: String, _ inner: String) -> [(String, JSONValue)] {
            (tree[key]?.arrayValue ?? []).compactMap { entry in
                guard let name = entry["name"]?.stringValue, let body = entry[inner] else { return nil }
                return (name, body)
            }
        }
        for (name, c) in named("clusters", "cluster") where out.clusters[name] == nil {
            out.clusters[name] = Cluster(
                server: c["server"]?.stringValue ?? "",
                certificateAuthority: resolve(c["certificate-authority"]?.stringValue),
                certificateAuthorityData: try data(c["certificate-authority-data"], "certificate-authority-data"),
                insecureSkipTLSVerify: c["insecure-skip-tls-verify"]?.stringValue == "true",
                tlsServerName: c["tls-server-name"]?.stringValue,
                proxyURL: c["proxy-url"]?.stringValue,
                source: file)
        }
        for (name, u) in named("users", "user") where out.users[name] == nil {
            var user = User(source: file)
            user.clientCertificate = resolve(u["client-certificate"]?.stringValue)
            user.clientCertificateData = try data(u["client-certificate-data"], "client-certificate-data")
            user.clientKey = resolve(u["client-key"]?.stringValue)
            user.clientKeyData = try data(u["client-key-data"], "client-key-data")
            user.token = u["token"]?.stringValue
            user.tokenFile = resolve(u["tokenFile"]?.stringValue)
            user.authProvider = u["auth-provider"].map { $0["name"]?.stringValue ?? "unnamed" }
            user.hasBasicAuth = u["username"]?.stringValue != nil || u["password"]?.stringValue != nil
            if let e = u["exec"], e != .null {
                guard let command = e["command"]?.stringValue, !command.isEmpty else {
                    throw .kubeconfig("\(file): user \"\(name)\": exec needs a command")
                }
                var exec = ExecConfig(
                    apiVersion: e["apiVersion"]?.stringValue ?? "",
                    command: command.contains("/") ? resolve(command) ?? command : command)
                exec.args = (e["args"]?.arrayValue ?? []).compactMap(\.stringValue)
                exec.env = (e["env"]?.arrayValue ?? []).compactMap { v in
                    guard let n = v["name"]?.stringValue else { return nil }
                    return (n, v["value"]?.stringValue ?? "")
                }
                exec.provideClusterInfo = e["provideClusterInfo"]?.stringValue == "true"
                if let m = e["interactiveMode"]?.stringValue, !m.isEmpty {
                    guard let mode = ExecConfig.InteractiveMode(rawValue: m) else {
                        throw .kubeconfig("\(file): user \"\(name)\": exec interactiveMode must be Never, IfAvailable or Always, not \"\(m)\"")
                    }
                    exec.interactiveMode = mode
                }
                exec.installHint = e["installHint"]?.stringValue
                user.exec = exec
            }
            out.users[name] = user
        }
        for (name, c) in named("contexts", "context") where out.contexts[name] == nil {
            out.contexts[name] = Context(
                cluster: c["cluster"]?.stringValue ?? "", user: c["user"]?.stringValue ?? "",
                namespace: c["namespace"]?.stringValue)
        }
        if let cc = tree["current-context"]?.stringValue, !cc.isEmpty { out.currentContext = cc }
        return out
    }
}
