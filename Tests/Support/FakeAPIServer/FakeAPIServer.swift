import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import RBACCore

/// A fake Kubernetes API server for tests and the bench: HTTPS on 127.0.0.1 with a CA made for
/// the run, discovery, paged lists with `continue` tokens, the secrets `Table` and metadata
/// forms, gzip, and faults on demand (403, 410, 429, 500, slow and truncated responses).
///
/// It refuses — and records as a violation — any request that would return secret values.
public final class FakeAPIServer: @unchecked Sendable {
    /// Faults, by resource name (`clusterroles`, `secrets`, …).
    public struct Faults: Sendable {
        /// Answer 403.
        public var forbidden: Set<String> = []
        /// Answer 403 for secrets in these namespaces.
        public var forbiddenSecretNamespaces: Set<String> = []
        /// Statuses to answer, one per request, before answering normally (429, 500, …).
        public var failures: [String: [Int]] = [:]
        /// The `Retry-After` header sent with a 429.
        public var retryAfter = "0"
        /// Answer 410 to the first request of this resource that carries a continue token.
        public var expireContinue: Set<String> = []
        /// Cut this many responses of the resource short (the connection closes mid-body).
        public var truncate: [String: Int] = [:]
        /// Wait this long before every chunk of a response of the resource.
        public var slowChunks: [String: TimeAmount] = [:]
        /// Discovery documents to answer 503 (an aggregated API that is down): `api`, `apis`,
        /// or a group-version (`v1`, `external-secrets.io/v1beta1`).
        public var failingDiscovery: Set<String> = []

        public init() {}
    }

    /// A request as received.
    public struct Received: Sendable {
        public var path: String
        public var accept: String
        public var authorization: String?
        public var userAgent: String
        public var acceptEncoding: String
        public var clientCertificate: Bool
    }

    /// The stored objects; setting them forgets the encoded pages.
    public var world: FakeWorld {
        get { lock.withLock { _world } }
        set {
            lock.withLock {
                _world = newValue
                pageCache = [:]
                gzipCache = [:]
            }
        }
    }
    private var _world: FakeWorld
    private let lock = NIOLock()
    private var _faults = Faults()
    private var _received: [Received] = []
    private var _violations: [String] = []
    private var pageCache: [String: [UInt8]] = [:]
    private var channel: Channel?
    public private(set) var port = 0

    /// Accepted bearer tokens; empty with no client certificates either: no authentication.
    public let tokens: Set<String>
    public let acceptClientCertificates: Bool
    public let certificates: TestCertificates
    /// Answer with gzip when the client accepts it.
    public var gzip = true
    /// Cut bodies into chunks of this size.
    public var chunkSize = 64 << 10

    public init(world: FakeWorld, certificates: TestCertificates, tokens: Set<String> = [], acceptClientCertificates: Bool = false) {
        self._world = world
        self.certificates = certificates
        self.tokens = tokens
        self.acceptClientCertificates = acceptClientCertificates
    }

    public var faults: Faults {
        get { lock.withLock { _faults } }
        set { lock.withLock { _faults = newValue } }
    }

    /// Every request received, in order.
    public var received: [Received] { lock.withLock { _received } }
    /// Requests that asked for secret values: must stay empty for rbacgraph.
    public var violations: [String] { lock.withLock { _violations } }

    public var url: String { "https://127.0.0.1:\(port)" }

    /// Encodes every full list ahead of time, and with `gzip` their compressed forms too (so
    /// a benchmark measures the client, not the fake).
    public func prepare(pageSize: Int = 500, gzip: Bool = false) {
        for r in world.resources where r.name != "secrets" {
            var token: String? = nil
            repeat {
                let page = self.page(resource: r, namespace: nil, limit: pageSize, continueToken: token)
                if gzip { _ = compressed(page.bytes, key: page.key) }
                token = page.next
            } while token != nil
        }
    }

    private var gzipCache: [String: [UInt8]] = [:]

    /// `bytes` gzip'd, cached under `key`.
    func compressed(_ bytes: [UInt8], key: String?) -> [UInt8] {
        if let key, let c = lock.withLock({ gzipCache[key] }) { return c }
        let z = Gzip.compress(bytes)
        if let key { lock.withLock { gzipCache[key] = z } }
        return z
    }

    public func start() throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(certificates.serverCertificatePEM).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: certificates.serverKeyPEM, format: .pem)))
        if acceptClientCertificates {
            tls.certificateVerification = .optionalVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(certificates.caPEM))
        }
        let context = try NIOSSLContext(configuration: tls)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeAPIHandler(server: self))
                }
            }
        let ch = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        channel = ch
        port = ch.localAddress?.port ?? 0
    }

    public func stop() {
        try? channel?.close().wait()
        channel = nil
    }

    // MARK: Answering

    struct Answer {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body: [UInt8]
        var truncate = false
        var delay: TimeAmount? = nil
    }

    func record(_ r: Received) { lock.withLock { _received.append(r) } }

    func violation(_ what: String) { lock.withLock { _violations.append(what) } }

    /// Takes the next injected failure for a resource, if any.
    private func takeFailure(_ resource: String) -> Int? {
        lock.withLock {
            guard var list = _faults.failures[resource], !list.isEmpty else { return nil }
            let s = list.removeFirst()
            _faults.failures[resource] = list
            return s
        }
    }

    private func takeTruncation(_ resource: String) -> Bool {
        lock.withLock {
            guard let n = _faults.truncate[resource], n > 0 else { return false }
            _faults.truncate[resource] = n - 1
            return true
        }
    }

    private func takeExpiry(_ resource: String) -> Bool {
        lock.withLock { _faults.expireContinue.remove(resource) != nil }
    }

    static func status(_ code: Int, _ reason: String, _ message: String) -> [UInt8] {
        let v: JSONValue = .object([
            ("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])),
            ("status", .string("Failure")), ("message", .string(message)), ("reason", .string(reason)), ("code", .number(Double(code))),
        ])
        return Array(v.serialized().utf8)
    }

    func answer(_ r: Received) -> Answer {
        let authorized = (tokens.isEmpty && !acceptClientCertificates)
            || (r.authorization.map { $0.hasPrefix("Bearer ") && tokens.contains(String($0.dropFirst(7))) } ?? false)
            || (acceptClientCertificates && r.clientCertificate)
        guard authorized else {
            return Answer(status: .unauthorized, body: Self.status(401, "Unauthorized", "Unauthorized"))
        }
        let (pathPart, query) = Self.split(r.path)
        let parts = pathPart.split(separator: "/").map(String.init)
        let world = self.world

        // Discovery.
        let discoveryDocument = parts == ["api"] || parts == ["apis"] || (parts.count == 2 && parts[0] == "api") || (parts.count == 3 && parts[0] == "apis")
        if discoveryDocument, faults.failingDiscovery.contains(parts.count == 1 ? parts[0] : parts.dropFirst().joined(separator: "/")) {
            return Answer(status: .serviceUnavailable, body: Self.status(503, "ServiceUnavailable", "the server is currently unable to handle the request"))
        }
        if parts == ["api"] {
            return json(.object([("kind", .string("APIVersions")), ("versions", .array([.string("v1")]))]))
        }
        if parts == ["apis"] {
            var groups: [String: [String]] = [:]
            var order: [String] = []
            for res in world.resources where !res.group.isEmpty {
                if groups[res.group] == nil { order.append(res.group) }
                if !(groups[res.group] ?? []).contains(res.version) { groups[res.group, default: []].append(res.version) }
            }
            let list: [JSONValue] = order.map { g in
                let versions = groups[g]!.map { v in JSONValue.object([("groupVersion", .string("\(g)/\(v)")), ("version", .string(v))]) }
                return .object([("name", .string(g)), ("versions", .array(versions)), ("preferredVersion", versions[0])])
            }
            return json(.object([("kind", .string("APIGroupList")), ("apiVersion", .string("v1")), ("groups", .array(list))]))
        }
        if (parts.count == 2 && parts[0] == "api") || (parts.count == 3 && parts[0] == "apis") {
            let gv = parts.dropFirst().joined(separator: "/")
            let resources = world.resources.filter { $0.groupVersion == gv }
            if resources.isEmpty { return notFound() }
            var list: [JSONValue] = []
            for res in resources {
                list.append(.object([
                    ("name", .string(res.name)), ("singularName", .string(res.kind.lowercased())), ("namespaced", .bool(res.namespaced)),
                    ("kind", .string(res.kind)), ("verbs", .array(["get", "list", "watch", "create", "update", "patch", "delete"].map { .string($0) })),
                    ("shortNames", .array(res.shortNames.map { .string($0) })),
                ]))
                if res.name == "pods" {
                    list.append(.object([("name", .string("pods/exec")), ("singularName", .string("")), ("namespaced", .bool(true)), ("kind", .string("PodExecOptions")), ("verbs", .array([.string("create"), .string("get")]))]))
                }
            }
            return json(.object([("kind", .string("APIResourceList")), ("apiVersion", .string("v1")), ("groupVersion", .string(gv)), ("resources", .array(list))]))
        }

        // Lists: /api/v1[/namespaces/NS]/RES, /apis/G/V[/namespaces/NS]/RES.
        var rest = parts
        guard rest.first == "api" || rest.first == "apis" else { return notFound() }
        let gv = rest.first == "api" ? Array(rest[1..<min(2, rest.count)]) : Array(rest[1..<min(3, rest.count)])
        rest.removeFirst(1 + gv.count)
        var namespace: String? = nil
        if rest.count >= 3, rest[0] == "namespaces" {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard rest.count == 1, let resource = world.resources.first(where: { $0.groupVersion == gv.joined(separator: "/") && $0.name == rest[0] }) else {
            return notFound()
        }
        if resource.name == "secrets" {
            let table = r.accept.contains("as=Table")
            let metadata = r.accept.contains("as=PartialObjectMetadata")
            if !(table && query["includeObject"] == "None") && !metadata {
                violation("\(r.userAgent) asked for secret bodies: GET \(r.path) Accept: \(r.accept)")
                return Answer(status: .internalServerError, body: Self.status(500, "InternalError", "this fake refuses to send secret values"))
            }
        }
        let faults = self.faults
        if faults.forbidden.contains(resource.name)
            || (resource.name == "secrets" && namespace.map { faults.forbiddenSecretNamespaces.contains($0) } ?? false)
        {
            return Answer(status: .forbidden, body: Self.status(
                403, "Forbidden",
                "\(resource.name) is forbidden: User \"alice\" cannot list resource \"\(resource.name)\" in API group \"\(resource.group)\"\(namespace.map { " in the namespace \"\($0)\"" } ?? " at the cluster scope")"))
        }
        if let failure = takeFailure(resource.name) {
            var a = Answer(status: HTTPResponseStatus(statusCode: failure), body: Self.status(failure, failure == 429 ? "TooManyRequests" : "InternalError", "injected \(failure)"))
            if failure == 429 { a.headers.append(("Retry-After", faults.retryAfter)) }
            return a
        }
        let token = query["continue"]
        if token != nil, takeExpiry(resource.name) {
            return Answer(status: .gone, body: Self.status(410, "Expired", "The provided continue parameter is too old"))
        }
        let limit = Int(query["limit"] ?? "") ?? 0
        var body: [UInt8]
        var key: String? = nil
        if resource.name == "secrets" && r.accept.contains("as=Table") {
            body = secretTable(namespace: namespace, limit: limit, continueToken: token)
        } else if resource.name == "secrets" {
            body = secretMetadata(namespace: namespace, fieldSelector: query["fieldSelector"], limit: limit, continueToken: token)
        } else {
            let p = page(resource: resource, namespace: namespace, limit: limit, continueToken: token)
            body = p.bytes
            key = p.key
        }
        var headers = [("Content-Type", "application/json")]
        if gzip && r.acceptEncoding.contains("gzip") {
            body = compressed(body, key: key)
            headers.append(("Content-Encoding", "gzip"))
        }
        return Answer(status: .ok, headers: headers, body: body, truncate: takeTruncation(resource.name), delay: faults.slowChunks[resource.name])
    }

    private func json(_ v: JSONValue) -> Answer {
        Answer(status: .ok, headers: [("Content-Type", "application/json")], body: Array(v.serialized().utf8))
    }

    private func notFound() -> Answer {
        Answer(status: .notFound, body: Self.status(404, "NotFound", "the server could not find the requested resource"))
    }

    static func split(_ path: String) -> (String, [String: String]) {
        guard let q = path.firstIndex(of: "?") else { return (path, [:]) }
        var query: [String: String] = [:]
        for pair in path[path.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = kv[0].removingPercentEncoding ?? kv[0]
            query[key] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
        }
        return (String(path[..<q]), query)
    }

    /// One page of a list, and the continue token of the next (`OFFSET` of the next item).
    func page(resource: FakeWorld.Resource, namespace: String?, limit: Int, continueToken: String?) -> (bytes: [UInt8], next: String?, key: String) {
        let all = world.items(of: resource.name).filter { namespace == nil || $0.namespace == namespace }
        let start = continueToken.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
        let end = limit > 0 ? min(all.count, start + limit) : all.count
        let next = end < all.count ? "\(resource.name):\(end)" : nil
        let key = "\(resource.name)|\(namespace ?? "")|\(start)|\(end)"
        if let cached = lock.withLock({ pageCache[key] }) { return (cached, next, key) }
        var out = "{\"kind\":\"\(resource.kind)List\",\"apiVersion\":\"\(resource.groupVersion)\",\"metadata\":{\"resourceVersion\":\"1\""
        if let next { out += ",\"continue\":\"\(next)\"" }
        out += "},\"items\":["
        for (i, item) in all[start..<max(start, end)].enumerated() {
            if i > 0 { out += "," }
            out += item.object.serialized()
        }
        out += "]}"
        let bytes = Array(out.utf8)
        lock.withLock { pageCache[key] = bytes }
        return (bytes, next, key)
    }

    private func secrets(in namespace: String?) -> [FakeWorld.Item] {
        world.items(of: "secrets").filter { namespace == nil || $0.namespace == namespace }
    }

    func secretTable(namespace: String?, limit: Int, continueToken: String?) -> [UInt8] {
        let all = secrets(in: namespace)
        let start = continueToken.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
        let end = limit > 0 ? min(all.count, start + limit) : all.count
        let columns: [JSONValue] = ["Name", "Type", "Data", "Age"].map {
            .object([("name", .string($0)), ("type", .string($0 == "Data" ? "string" : "string")), ("format", .string($0 == "Name" ? "name" : ""))])
        }
        let rows: [JSONValue] = all[start..<max(start, end)].map { item in
            let type = item.object["type"]?.stringValue ?? "Opaque"
            var keys = 0
            if case .object(let d)? = item.object["data"] { keys += d.count }
            if case .object(let d)? = item.object["stringData"] { keys += d.count }
            return .object([("cells", .array([.string(item.name), .string(type), .number(Double(keys)), .string("1d")]))])
        }
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string("1"))]
        if end < all.count { metadata.append(("continue", .string("secrets-table:\(end)"))) }
        let table: JSONValue = .object([
            ("kind", .string("Table")), ("apiVersion", .string("meta.k8s.io/v1")), ("metadata", .object(metadata)),
            ("columnDefinitions", .array(columns)), ("rows", .array(rows)),
        ])
        return Array(table.serialized().utf8)
    }

    func secretMetadata(namespace: String?, fieldSelector: String?, limit: Int, continueToken: String?) -> [UInt8] {
        var all = secrets(in: namespace)
        if let fieldSelector, fieldSelector.hasPrefix("type=") {
            let type = String(fieldSelector.dropFirst(5))
            all = all.filter { ($0.object["type"]?.stringValue ?? "Opaque") == type }
        }
        let start = continueToken.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
        let end = limit > 0 ? min(all.count, start + limit) : all.count
        let items: [JSONValue] = all[start..<max(start, end)].map { item in
            .object([("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")), ("metadata", item.object["metadata"] ?? .object([]))])
        }
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string("1"))]
        if end < all.count { metadata.append(("continue", .string("secrets-meta:\(end)"))) }
        let list: JSONValue = .object([
            ("kind", .string("PartialObjectMetadataList")), ("apiVersion", .string("meta.k8s.io/v1")),
            ("metadata", .object(metadata)), ("items", .array(items)),
        ])
        return Array(list.serialized().utf8)
    }
}

/// One connection's HTTP handling.
final class FakeAPIHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: FakeAPIServer
    private var head: HTTPRequestHead?

    init(server: FakeAPIServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let channel = context.channel
            let hasCertificate = (try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate) != nil
            let received = FakeAPIServer.Received(
                path: head.uri, accept: head.headers["Accept"].first ?? "", authorization: head.headers["Authorization"].first,
                userAgent: head.headers["User-Agent"].first ?? "", acceptEncoding: head.headers["Accept-Encoding"].joined(separator: ","),
                clientCertificate: hasCertificate)
            server.record(received)
            let answer = server.answer(received)
            respond(answer, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func respond(_ a: FakeAPIServer.Answer, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(a.headers)
        headers.add(name: "Content-Length", value: "\(a.body.count)")
        if !a.truncate && !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: a.status, headers: headers))), promise: nil)
        var pieces: [[UInt8]] = []
        var i = 0
        let size = server.chunkSize
        let limit = a.truncate ? a.body.count / 2 : a.body.count
        while i < limit {
            pieces.append(Array(a.body[i..<min(limit, i + size)]))
            i += size
        }
        let chunks = pieces
        let loop = context.eventLoop
        let ctx = NIOLoopBound(context, eventLoop: loop)
        let bound = NIOLoopBound(self, eventLoop: loop)
        @Sendable func send(_ index: Int) {
            let context = ctx.value
            let me = bound.value
            if index == chunks.count {
                if a.truncate {
                    context.flush()
                    context.close(promise: nil)
                } else {
                    context.writeAndFlush(me.wrapOutboundOut(.end(nil))).whenComplete { _ in
                        if !keepAlive { ctx.value.close(promise: nil) }
                    }
                }
                return
            }
            context.writeAndFlush(me.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunks[index])))), promise: nil)
            if let delay = a.delay {
                loop.scheduleTask(in: delay) { send(index + 1) }
            } else {
                send(index + 1)
            }
        }
        if let delay = a.delay, !chunks.isEmpty {
            loop.scheduleTask(in: delay) { send(0) }
        } else {
            send(0)
        }
    }
}
