import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL

/// HTTPS to a real API server with AsyncHTTPClient and swift-nio-ssl: the kubeconfig's CA
/// (only it is trusted when given, as kubectl does), client certificate, `tls-server-name`,
/// `insecure-skip-tls-verify`, `proxy-url` (or `HTTPS_PROXY`/`NO_PROXY`), gzip, and the
/// bearer token of the moment.
public final class HTTPTransport: APITransport {
    private let client: HTTPClient
    private let base: String
    private let credentials: CredentialProvider
    private let baseTLS: TLSConfiguration
    /// Warnings about the configuration (an insecure connection), for the caller to print.
    public let warnings: [String]

    /// - Parameter timeout: the longest wait for a connection, and for the next bytes of a response.
    public init(_ config: ConnectionConfig, timeout: TimeAmount = .seconds(30),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(ClusterError) {
        guard let url = ServerURL(config.server) else {
            throw .kubeconfig("\(config.origin): server \"\(config.server)\" is not a URL")
        }
        var warnings: [String] = []
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = config.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
            }
            if let cert = config.credentials.clientCertificate {
                try Self.apply(certificate: cert.certificate, key: cert.key, to: &tls)
            }
        } catch {
            throw .kubeconfig("\(config.origin): a certificate or key is not valid PEM: \(error)")
        }
        if config.insecureSkipTLSVerify {
            tls.certificateVerification = .none
            warnings.append(
                "insecure-skip-tls-verify is set for \(config.origin): the server's certificate is not checked, "
                    + "so anyone on the path can read what rbacgraph reads")
        }
        var httpConfig = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: timeout, read: timeout),
            decompression: .enabled(limit: .none))
        httpConfig.redirectConfiguration = .disallow
        httpConfig.connectionPool = .init(idleTimeout: .seconds(60))
        // tls-server-name: ask for that name (SNI and certificate check) while connecting to the server's address.
        var host = url.host
        if let name = config.tlsServerName, !name.isEmpty, name != url.host {
            httpConfig.dnsOverride = [name: url.host]
            host = name
        }
        if let proxy = try Self.proxy(config: config, host: url.host, environment: environment) {
            httpConfig.proxy = proxy
        }
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfig)
        self.base = "\(url.scheme)://\(host.contains(":") ? "[\(host)]" : host):\(url.port)\(url.pathPrefix)"
        self.credentials = CredentialProvider(config, environment: environment)
        self.baseTLS = tls
        self.warnings = warnings
    }

    static func apply(certificate: [UInt8], key: [UInt8], to tls: inout TLSConfiguration) throws {
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
    }

    static func proxy(config: ConnectionConfig, host: String, environment: [String: String]) throws(ClusterError) -> HTTPClient.Configuration.Proxy? {
        var proxyURL = config.proxyURL
        if proxyURL?.isEmpty ?? true {
            let noProxy = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
            let excluded = noProxy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { entry in
                entry == "*" || entry == host || (!entry.isEmpty && host.hasSuffix(entry.hasPrefix(".") ? entry : "." + entry))
            }
            // As Go's ProxyFromEnvironment (kubectl): never for localhost or a loopback address.
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            let loopback = host == "localhost" || host == "::1"
                || (octets.count == 4 && octets.allSatisfy { UInt8($0) != nil } && octets[0] == "127")
            proxyURL = excluded || loopback ? nil : (environment["HTTPS_PROXY"] ?? environment["https_proxy"])
        }
        guard let proxyURL, !proxyURL.isEmpty else { return nil }
        guard let p = ServerURL(proxyURL.contains("://") ? proxyURL : "http://" + proxyURL) else {
            throw .kubeconfig("\(config.origin): proxy-url \"\(proxyURL)\" is not a URL")
        }
        switch p.scheme {
        case "http": return .server(host: p.host, port: p.port)
        case "socks5": return .socksServer(host: p.host, port: p.port)
        default: throw .kubeconfig("\(config.origin): proxy-url \"\(proxyURL)\": only http:// and socks5:// proxies are supported")
        }
    }

    public func send(_ request: APIRequest) async throws -> APIResponse {
        var response = try await send(request, credentials: try await credentials.current())
        if response.status == 401, await credentials.invalidate() {
            response = try await send(request, credentials: try await credentials.current())
        }
        return response
    }

    private func send(_ request: APIRequest, credentials current: CredentialProvider.Current) async throws -> APIResponse {
        var r = HTTPClientRequest(url: base + request.path)
        r.method = .GET
        r.headers.add(name: "Accept", value: request.accept)
        r.headers.add(name: "Accept-Encoding", value: "gzip")
        r.headers.add(name: "User-Agent", value: "rbacgraph")
        if let token = current.token { r.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cert = current.clientCertificate {
            var tls = baseTLS
            do {
                try Self.apply(certificate: cert.certificate, key: cert.key, to: &tls)
            } catch {
                throw ClusterError.authentication("the exec plugin's client certificate or key is not valid PEM: \(error)")
            }
            r.tlsConfiguration = tls
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(r, timeout: .hours(1))
        } catch {
            if Self.isTLS(error) {
                throw ClusterError.tls(
                    "\(base): TLS handshake failed: \(Self.describe(error)) (check certificate-authority, tls-server-name and the server's address)")
            }
            throw ClusterError.connection("\(base): \(Self.describe(error))")
        }
        var headers: [String: String] = [:]
        for (name, value) in response.headers where headers[name.lowercased()] == nil { headers[name.lowercased()] = value }
        return APIResponse(status: Int(response.status.code), headers: headers, body: AHCBody(response.body))
    }

    /// Whether the error is the TLS handshake's (directly, or as the reason a connection attempt failed).
    static func isTLS(_ error: any Error) -> Bool {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError { return true }
        let text = String(reflecting: error)
        return text.contains("NIOSSL") || text.contains("BoringSSL") || text.contains("CERTIFICATE_VERIFY_FAILED")
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? NIOSSLError { return "TLS: \(e)" }
        if let e = error as? BoringSSLError { return "TLS: \(e)" }
        return "\(error)"
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}

/// AsyncHTTPClient's body as a ``ResponseBody``.
final class AHCBody: ResponseBody, @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ body: HTTPClientResponse.Body) { iterator = body.makeAsyncIterator() }

    func next() async throws -> ByteBuffer? {
        do {
            return try await iterator.next()
        } catch {
            throw ClusterError.connection("response broken off: \(HTTPTransport.describe(error))")
        }
    }
}

/// `scheme://host:port/prefix`, split.
struct ServerURL {
    var scheme: String
    var host: String
    var port: Int
    var pathPrefix: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = text[schemeEnd.upperBound...]
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        while path.hasSuffix("/") { path.removeLast() }
        pathPrefix = path
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }  // user info
        var portText: Substring? = nil
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let p = Int(portText), p > 0, p < 65536 else { return nil }
            port = p
        } else {
            switch scheme {
            case "https": port = 443
            case "http": port = 80
            case "socks5": port = 1080
            default: return nil
            }
        }
    }
}
