/// Why a cluster could not be read: each case's message says what to do.
public enum ClusterError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kubeconfig is missing, unreadable, or names what is not there.
    case kubeconfig(String)
    /// The credentials could not be obtained (exec plugin failed, unsupported auth form).
    case authentication(String)
    /// The server could not be reached, or the connection broke.
    case connection(String)
    /// The TLS handshake failed (an untrusted certificate, a wrong name): retrying cannot help.
    case tls(String)
    /// The server answered with an error status.
    case server(status: Int, url: String, message: String)
    /// A response that is not what the API server sends.
    case protocolError(String)

    public var description: String {
        switch self {
        case .kubeconfig(let m), .authentication(let m), .connection(let m), .tls(let m), .protocolError(let m): return m
        case .server(let status, let url, let message):
            return "\(url): \(status)\(message.isEmpty ? "" : ": \(message)")"
        }
    }
}
