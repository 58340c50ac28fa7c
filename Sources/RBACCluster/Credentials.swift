import Foundation
import RBACCore

/// The bearer token or client certificate for each request, from the kubeconfig's user:
/// a fixed token, a token file read again when it changes, or an exec credential plugin whose
/// answer is cached until its `expirationTimestamp`.
actor CredentialProvider {
    struct Current: Sendable {
        var token: String?
        /// From an exec plugin: a certificate and key (PEM), replacing the kubeconfig's.
        var clientCertificate: (certificate: [UInt8], key: [UInt8])?
    }

    private let credentials: ConnectionConfig.Credentials
    private let connection: ConnectionConfig
    private let environment: [String: String]
    private var execCache: (value: Current, expires: Date?)?
    private var tokenFileCache: (mtime: Date, size: Int, token: String)?

    init(_ connection: ConnectionConfig, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.connection = connection
        self.credentials = connection.credentials
        self.environment = environment
    }

    /// What to send now.
    func current() throws(ClusterError) -> Current {
        if let exec = credentials.exec {
            if let cached = execCache, cached.expires.map({ $0 > Date() }) ?? true { return cached.value }
            let (value, expires) = try ExecPlugin(config: exec, connection: connection, environment: environment).run()
            execCache = (value, expires)
            return value
        }
        var out = Current()
        out.token = credentials.token
        if let file = credentials.tokenFile { out.token = try readTokenFile(file) ?? credentials.token }
        return out
    }

    /// After a 401: forget a cached exec answer so the next request runs the plugin again.
    /// - Returns: whether anything was forgotten (and a retry may help).
    func invalidate() -> Bool {
        guard credentials.exec != nil, execCache != nil else { return false }
        execCache = nil
        return true
    }

    /// The token in `path`, read again whenever the file's time or size changes (kubelet
    /// rotates projected service-account tokens in place).
    private func readTokenFile(_ path: String) throws(ClusterError) -> String? {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        let mtime = attrs?[.modificationDate] as? Date ?? .distantPast
        let size = (attrs?[.size] as? NSNumber)?.intValue ?? -1
        if let c = tokenFileCache, c.mtime == mtime, c.size == size { return c.token }
        guard let data = FileManager.default.contents(atPath: path) else {
            if let c = tokenFileCache { return c.token }  // mid-rotation: keep the last one read
            throw .authentication("cannot read tokenFile \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        tokenFileCache = (mtime, size, token)
        return token.isEmpty ? nil : token
    }
}

/// Runs an exec credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`) as kubectl
/// does: its args and env, `KUBERNETES_EXEC_INFO` with the cluster when
/// `provideClusterInfo` is set, standard input only when interactive use is allowed and
/// there is a terminal; its standard error goes to ours.
struct ExecPlugin {
    var config: Kubeconfig.ExecConfig
    var connection: ConnectionConfig
    var environment: [String: String]

    static let versions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    func run() throws(ClusterError) -> (CredentialProvider.Current, Date?) {
        let name = "exec plugin \"\(config.command)\""
        guard Self.versions.contains(config.apiVersion) else {
            throw .authentication(
                "\(name): apiVersion \"\(config.apiVersion)\" is not supported (use client.authentication.k8s.io/v1 or v1beta1)")
        }
        let stdinIsTerminal = isatty(0) != 0
        let interactive: Bool
        switch config.interactiveMode {
        case .never: interactive = false
        case .ifAvailable: interactive = stdinIsTerminal
        case .always:
            guard stdinIsTerminal else {
                throw .authentication("\(name) needs an interactive terminal (interactiveMode: Always) and standard input is not one")
            }
            interactive = true
        }
        var env = environment
        for e in config.env { env[e.name] = e.value }
        env["KUBERNETES_EXEC_INFO"] = execInfo(interactive: interactive).serialized()

        let process = Process()
        if config.command.contains("/") {
            process.executableURL = URL(fileURLWithPath: config.command)
            process.arguments = config.args
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [config.command] + config.args
        }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        if !interactive { process.standardInput = FileHandle.nullDevice }
        do {
            try process.run()
        } catch {
            throw .authentication("\(name) could not be started: \(error.localizedDescription)\(hint)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let code = process.terminationStatus
            throw .authentication("\(name) failed with exit status \(code)\(code == 127 ? hint : "")")
        }
        let v: JSONValue
        do {
            v = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw .authentication("\(name) printed something that is not an ExecCredential (JSON: \(error))")
        }
        guard v["kind"]?.stringValue == "ExecCredential" else {
            throw .authentication("\(name) printed JSON that is not an ExecCredential (kind must be ExecCredential)")
        }
        guard v["apiVersion"]?.stringValue == config.apiVersion else {
            throw .authentication(
                "\(name) answered with apiVersion \"\(v["apiVersion"]?.stringValue ?? "")\", not the \"\(config.apiVersion)\" the kubeconfig asks for")
        }
        let status = v["status"]
        var current = CredentialProvider.Current()
        current.token = status?["token"]?.stringValue
        if let cert = status?["clientCertificateData"]?.stringValue, let key = status?["clientKeyData"]?.stringValue {
            current.clientCertificate = (Array(cert.utf8), Array(key.utf8))
        }
        guard current.token?.isEmpty == false || current.clientCertificate != nil else {
            throw .authentication("\(name) returned an ExecCredential with neither a token nor a client certificate and key")
        }
        var expires: Date? = nil
        if let ts = status?["expirationTimestamp"]?.stringValue {
            guard let date = Self.parseTimestamp(ts) else {
                throw .authentication("\(name): expirationTimestamp \"\(ts)\" is not an RFC 3339 time")
            }
            expires = date
        }
        return (current, expires)
    }

    private var hint: String {
        config.installHint.map { "\n\($0)" } ?? ""
    }

    /// `KUBERNETES_EXEC_INFO`: the ExecCredential the plugin reads.
    func execInfo(interactive: Bool) -> JSONValue {
        var spec: [(String, JSONValue)] = [("interactive", .bool(interactive))]
        if config.provideClusterInfo {
            var cluster: [(String, JSONValue)] = [("server", .string(connection.server))]
            if let ca = connection.certificateAuthorityPEM {
                cluster.append(("certificate-authority-data", .string(Data(ca).base64EncodedString())))
            }
            if connection.insecureSkipTLSVerify { cluster.append(("insecure-skip-tls-verify", .bool(true))) }
            if let n = connection.tlsServerName { cluster.append(("tls-server-name", .string(n))) }
            if let p = connection.proxyURL { cluster.append(("proxy-url", .string(p))) }
            spec.append(("cluster", .object(cluster)))
        }
        return .object([("apiVersion", .string(config.apiVersion)), ("kind", .string("ExecCredential")), ("spec", .object(spec))])
    }

    static func parseTimestamp(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
