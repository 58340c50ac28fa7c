import Foundation

/// A certificate authority made for one test run, with a server certificate for 127.0.0.1 and
/// `localhost` (and an extra name, for `tls-server-name`), and a client certificate, all made
/// with the `openssl` command (installed by `make deps`).
public struct TestCertificates: Sendable {
    public var directory: String
    public var caPEM: [UInt8]
    public var serverCertificatePEM: [UInt8]
    public var serverKeyPEM: [UInt8]
    /// Client certificate for user `alice` in group `devs`.
    public var clientCertificatePEM: [UInt8]
    public var clientKeyPEM: [UInt8]
    /// A CA that signed nothing here: trusting it must fail the handshake.
    public var otherCAPEM: [UInt8]
    /// A name in the server certificate that does not resolve: for `tls-server-name`.
    public static let extraServerName = "api.fake.test"

    public var caFile: String { directory + "/ca.crt" }
    public var clientCertificateFile: String { directory + "/client.crt" }
    public var clientKeyFile: String { directory + "/client.key" }

    /// Whether `openssl` is on the PATH.
    public static var opensslAvailable: Bool { which("openssl") != nil }

    /// Makes them in a new temporary folder.
    public static func make() throws -> TestCertificates {
        let dir = NSTemporaryDirectory() + "rbacgraph-certs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func run(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: which("openssl") ?? "/usr/bin/openssl")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            p.standardError = err
            try p.run()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            if p.terminationStatus != 0 { throw CertificateError(message: "openssl \(args.joined(separator: " ")): \(errText)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try run(["req", "-x509"] + ec + ["-keyout", "\(ca).key", "-out", "\(ca).crt", "-days", "2", "-subj", "/CN=\(ca)-\(UUID().uuidString.prefix(8))"])
        }
        try run(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=fake-apiserver"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:\(extraServerName)\nextendedKeyUsage=serverAuth\n"
            .write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "server.crt", "-days", "2", "-extfile", "server.ext"])
        try run(["req"] + ec + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/O=devs/CN=alice"])
        try "extendedKeyUsage=clientAuth\n".write(toFile: dir + "/client.ext", atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "client.crt", "-days", "2", "-extfile", "client.ext"])
        func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))) }
        return TestCertificates(
            directory: dir, caPEM: try read("ca.crt"), serverCertificatePEM: try read("server.crt"),
            serverKeyPEM: try read("server.key"), clientCertificatePEM: try read("client.crt"),
            clientKeyPEM: try read("client.key"), otherCAPEM: try read("other-ca.crt"))
    }

    /// One set per test process: making them costs a few openssl runs.
    public static let shared: Result<TestCertificates, any Error> = Result { try make() }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

public struct CertificateError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
