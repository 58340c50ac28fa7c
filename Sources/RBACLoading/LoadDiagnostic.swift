public import RBACCore

/// A problem found while loading: where, how bad, and what.
///
/// Printed compiler-style: `file:line:col: error: message`.
public struct LoadDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
        /// Something left out on purpose, said so that nothing is left out silently (a
        /// `Chart.yaml` or `values.yaml` document that is no Kubernetes object).
        case note
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(severity: Severity, location: SourceLocation, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:col: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Errors that stop a load.
public enum LoadError: Error, CustomStringConvertible, Sendable {
    /// `--strict`: the first problem found.
    case strict(LoadDiagnostic)

    public var description: String {
        switch self {
        case .strict(let d): return d.description
        }
    }
}
