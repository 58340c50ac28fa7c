public import RBACCore
internal import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Reads Kubernetes audit logs: JSON lines of `audit.k8s.io/v1` `Event`s as the API server
/// writes them, plain or gzip-compressed.
///
/// Kept: one event per request (the `ResponseComplete` stage, or the last stage seen), only
/// requests the authorizer allowed (the `authorization.k8s.io/decision` annotation, or, without
/// it, a response code other than 401 and 403). `requestObject` and `responseObject` are
/// skipped by the JSON parser without being built: no body, and so no secret value, is read.
public struct AuditLogReader: Sendable {
    public struct Result: Sendable {
        public var events: [AuditEvent]
        public var diagnostics: [LoadDiagnostic]
        /// Lines read, events kept, events left out (denied, or other stages of a request).
        public var lines = 0
        public var denied = 0

        /// Whether anything failed to load (a file that cannot be read, a line that is not
        /// JSON): the CLI exits 3 for it, as for manifests.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public init() {}

    /// Reads every file (gzip detected by its magic bytes).
    public func read(paths: [String]) -> Result {
        var result = Result(events: [], diagnostics: [])
        for path in paths {
            guard let bytes = Self.readFile(path) else {
                result.diagnostics.append(LoadDiagnostic(
                    severity: .error, location: SourceLocation(file: path, line: 0, column: 0), message: "cannot read the audit log"))
                continue
            }
            let text: [UInt8]
            if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
                guard let inflated = Self.gunzip(bytes) else {
                    result.diagnostics.append(LoadDiagnostic(
                        severity: .error, location: SourceLocation(file: path, line: 0, column: 0), message: "corrupt gzip data"))
                    continue
                }
                text = inflated
            } else {
                text = bytes
            }
            read(text: text, name: path, into: &result)
        }
        return result
    }

    /// Reads audit-log text (JSON lines).
    public func read(text: String, name: String = "<audit>") -> Result {
        var result = Result(events: [], diagnostics: [])
        read(text: Array(text.utf8), name: name, into: &result)
        return result
    }

    private func read(text: [UInt8], name: String, into result: inout Result) {
        var byID: [String: Int] = [:]  // auditID → index in result.events
        var lineNumber = 0
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count && text[end] != 10 { end += 1 }
            lineNumber += 1
            defer { start = end + 1 }
            let line = String(decoding: text[start..<end], as: UTF8.self)
            if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
            result.lines += 1
            let loc = SourceLocation(file: name, line: lineNumber, column: 1)
            let v: JSONValue
            do {
                v = try JSONValue.parse(line, skipping: ["requestObject", "responseObject"])
            } catch {
                result.diagnostics.append(LoadDiagnostic(severity: .error, location: loc, message: error.description))
                continue
            }
            guard v["kind"]?.stringValue == "Event" else {
                result.diagnostics.append(LoadDiagnostic(severity: .warning, location: loc, message: "not an audit Event: skipped"))
                continue
            }
            if !Self.allowed(v) {
                result.denied += 1
                continue
            }
            guard let event = Self.event(v, loc) else {
                result.diagnostics.append(LoadDiagnostic(severity: .error, location: loc, message: "audit Event without user or verb"))
                continue
            }
            // One event per request: a later stage replaces an earlier one.
            if let id = v["auditID"]?.stringValue, !id.isEmpty {
                if let i = byID[id] {
                    result.events[i] = event
                    continue
                }
                byID[id] = result.events.count
            }
            result.events.append(event)
        }
    }

    /// Whether the authorizer allowed the request.
    static func allowed(_ v: JSONValue) -> Bool {
        if let decision = v["annotations"]?["authorization.k8s.io/decision"]?.stringValue { return decision == "allow" }
        if case .number(let code)? = v["responseStatus"]?["code"] { return code != 401 && code != 403 }
        return true
    }

    static func identity(_ u: JSONValue?) -> Identity? {
        guard let name = u?["username"]?.stringValue else { return nil }
        return Identity(name: name, groups: (u?["groups"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    static func event(_ v: JSONValue, _ loc: SourceLocation) -> AuditEvent? {
        guard let user = identity(v["user"]), let verb = v["verb"]?.stringValue else { return nil }
        let request: Request
        if let o = v["objectRef"], let resource = o["resource"]?.stringValue {
            request = .resource(ResourceRequest(
                verb: verb, apiGroup: o["apiGroup"]?.stringValue ?? "", resource: resource,
                subresource: o["subresource"]?.stringValue ?? "", namespace: o["namespace"]?.stringValue ?? "",
                name: o["name"]?.stringValue ?? ""))
        } else {
            var path = v["requestURI"]?.stringValue ?? "/"
            if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
            request = .nonResource(verb: verb, path: path)
        }
        let timestamp = v["requestReceivedTimestamp"]?.stringValue ?? v["stageTimestamp"]?.stringValue ?? ""
        if let impersonated = identity(v["impersonatedUser"]) {
            return AuditEvent(identity: impersonated, impersonator: user, request: request, timestamp: timestamp, source: loc)
        }
        return AuditEvent(identity: user, request: request, timestamp: timestamp, source: loc)
    }

    static func readFile(_ path: String) -> [UInt8]? { FileSystem.readFile(path) }

    /// Inflates gzip data (several members concatenated, as `cat a.gz b.gz` makes, included).
    static func gunzip(_ input: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var stream = z_stream()
        // 15 + 32: zlib or gzip header, detected.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var ok = true
        input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = uInt(inp.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { buf in
                    stream.next_out = buf.baseAddress
                    stream.avail_out = uInt(buf.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { break }
                    inflateReset(&stream)  // another gzip member follows
                    continue
                }
                if status != Z_OK {
                    ok = false
                    break
                }
                if stream.avail_in == 0 && produced == 0 { break }
            }
        }
        return ok ? out : nil
    }
}
