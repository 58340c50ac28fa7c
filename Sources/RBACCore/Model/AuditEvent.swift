/// One request the API server recorded in its audit log (`audit.k8s.io/v1` `Event`): who made
/// it and what it asked for. Request and response bodies are never loaded.
public struct AuditEvent: Hashable, Sendable {
    /// The identity that made the request (after impersonation: the impersonated one).
    public var identity: Identity
    /// When the request impersonated someone: the identity that did.
    public var impersonator: Identity?
    public var request: Request
    /// `requestReceivedTimestamp` (or `stageTimestamp`), as written.
    public var timestamp: String
    public var source: SourceLocation?

    public init(identity: Identity, impersonator: Identity? = nil, request: Request, timestamp: String = "", source: SourceLocation? = nil) {
        self.identity = identity
        self.impersonator = impersonator
        self.request = request
        self.timestamp = timestamp
        self.source = source
    }
}
