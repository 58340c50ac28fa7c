import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP `CONNECT` proxy on 127.0.0.1 for tests of `proxy-url`: it records each tunnel asked
/// for and relays bytes both ways. It only tunnels to loopback addresses (anything else is
/// refused with 403), and stops with ``stop()``.
public final class ConnectProxy: @unchecked Sendable {
    public private(set) var port = 0
    private var listener: Int32 = -1
    private let lock = NIOLock()
    private var _tunnels: [String] = []

    /// The `host:port` of every `CONNECT` received, in order.
    public var tunnels: [String] { lock.withLock { _tunnels } }

    public init() {}

    public func start() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }  // closed by stop()
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    public func stop() {
        if listener >= 0 {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            listener = -1
        }
    }

    deinit { stop() }

    /// Reads the `CONNECT` request, connects, answers 200, then relays until either side closes.
    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            guard read(client, &byte, 1) == 1, head.count < 8192 else {
                close(client)
                return
            }
            head.append(byte)
        }
        let requestLine = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let words = requestLine.split(separator: " ")
        guard words.count == 3, words[0] == "CONNECT" else {
            reply(client, "HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            close(client)
            return
        }
        let target = String(words[1])
        lock.withLock { _tunnels.append(target) }
        guard let colon = target.lastIndex(of: ":"), let port = UInt16(target[target.index(after: colon)...]),
            ["127.0.0.1", "localhost"].contains(String(target[..<colon]))
        else {
            reply(client, "HTTP/1.1 403 Forbidden\r\n\r\n")
            close(client)
            return
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            reply(client, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
            close(client)
            close(upstream)
            return
        }
        reply(client, "HTTP/1.1 200 Connection established\r\n\r\n")
        let done = DispatchGroup()
        for (from, to) in [(client, upstream), (upstream, client)] {
            done.enter()
            Thread.detachNewThread {
                Self.relay(from, to)
                done.leave()
            }
        }
        done.wait()
        close(client)
        close(upstream)
    }

    /// 127.0.0.1:`port` (0: any free port).
    private static func loopback(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        return addr
    }

    private func reply(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func relay(_ from: Int32, _ to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var sent = 0
            while sent < n {
                let w = buffer.withUnsafeBytes { write(to, $0.baseAddress! + sent, n - sent) }
                if w <= 0 { break }
                sent += w
            }
            if sent < n { break }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
