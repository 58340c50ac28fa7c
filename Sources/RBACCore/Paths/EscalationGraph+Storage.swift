// How the edges of the escalation graph are stored: compact records with interned strings.

/// An edge as stored: indices into the store's tables (about 32 bytes).
struct StoredEdge: Sendable {
    var from: Int32
    var to: Int32
    var evidenceStart: Int32
    var namespace: Int32  // into strings; -1: none
    var condition: Int32  // into conditions; -1: certain
    var cost: Int32
    var evidenceCount: UInt16
    var kind: EscalationKind
}

/// Evidence as stored (20 bytes).
struct StoredEvidence: Sendable {
    var role: Int32
    var ruleIndex: Int32
    var binding: Int32  // ``none``: a held role
    var subject: Int32  // index into the binding's subjects; ``none``: none
    /// No binding, or no subject (the stored form of `nil`).
    static let none: Int32 = -1
    var purpose: Int32  // into strings
}

/// The edges with their evidence, conditions and strings, interned.
struct EdgeStore: Sendable {
    var edges: [StoredEdge] = []
    var evidence: [StoredEvidence] = []
    var strings: [String] = []
    var conditions: [PathCondition] = []
}
