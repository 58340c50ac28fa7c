public import NIOCore

/// One GET to the API server.
public struct APIRequest: Sendable, Equatable {
    /// The path and query, e.g. `/api/v1/pods?limit=500`.
    public var path: String
    /// The `Accept` header.
    public var accept: String

    public init(path: String, accept: String = "application/json") {
        self.path = path
        self.accept = accept
    }
}

/// A response whose body is read as it arrives.
public struct APIResponse: Sendable {
    public var status: Int
    /// Header values by lower-cased name (the first of each).
    public var headers: [String: String]
    public var body: any ResponseBody

    public init(status: Int, headers: [String: String], body: any ResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A response body, chunk by chunk; `nil` at the end. Read by one task, front to back.
public protocol ResponseBody: AnyObject, Sendable {
    func next() async throws -> ByteBuffer?
}

/// How requests reach the API server: HTTPS through AsyncHTTPClient (``HTTPTransport``), or
/// anything else that speaks the same (a test double). ``ClusterReader`` decodes what comes
/// back with the same loader `-f` uses.
public protocol APITransport: Sendable {
    func send(_ request: APIRequest) async throws -> APIResponse
    func shutdown() async
}

/// A body already in memory (tests, error bodies).
public final class BufferedBody: ResponseBody, @unchecked Sendable {
    private var chunks: [ByteBuffer]

    public init(_ bytes: [UInt8]) { chunks = bytes.isEmpty ? [] : [ByteBuffer(bytes: bytes)] }

    public func next() async throws -> ByteBuffer? {
        chunks.isEmpty ? nil : chunks.removeFirst()
    }
}

extension ResponseBody {
    /// The whole body, up to `limit` bytes (for small documents: discovery, errors, Tables).
    func collect(limit: Int = 64 << 20) async throws -> [UInt8] {
        var out: [UInt8] = []
        while var chunk = try await next() {
            guard out.count + chunk.readableBytes <= limit else {
                throw ClusterError.protocolError("response larger than \(limit >> 20) MiB")
            }
            out += chunk.readBytes(length: chunk.readableBytes) ?? []
        }
        return out
    }
}
