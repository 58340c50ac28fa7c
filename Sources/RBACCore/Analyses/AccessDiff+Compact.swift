/// Access changes compacted as `can-i --list` compacts rules: one entry per target (resource
/// with its group and name, or URL) and exceptions, verbs merged in first-seen order.
public struct CompactAccessChange: Sendable {
    /// The verbs, first seen first.
    public var verbs: [String]
    /// The target of every verb (the first atom's, verb aside).
    public var target: PermissionAtom.Target
    /// What the other side already allows inside it.
    public var except: [PermissionAtom]
    /// The escalation table's reasons of the sensitive verbs (`reads secrets`, `wildcard`), once each.
    public var sensitivity: [String]
    /// The object changes behind it, once each.
    public var causes: [ObjectChange]

    /// `get,list secrets`, `* pods (except get)`, `delete deployments.apps [web]`, `get /metrics`.
    public var text: String {
        let head = PermissionAtom(verb: verbs.joined(separator: ","), target: target).description
        guard !except.isEmpty else { return head }
        return head + " (except " + Self.exceptText(except, target: target) + ")"
    }

    /// Exceptions of the same target as their verbs (`get,list`); others in full; at most five.
    static func exceptText(_ atoms: [PermissionAtom], target: PermissionAtom.Target) -> String {
        var sameTarget: [String] = []
        var other: [String] = []
        for a in atoms {
            if a.target == target { sameTarget.append(a.verb) } else { other.append(a.description) }
        }
        var parts: [String] = sameTarget.isEmpty ? [] : [sameTarget.joined(separator: ",")]
        parts += other
        if parts.count > 5 { return parts.prefix(5).joined(separator: "; ") + "; \(parts.count - 5) more" }
        return parts.joined(separator: "; ")
    }

    /// Compacts changes, in the order their targets are first seen.
    public static func compact(_ changes: [AccessChange]) -> [CompactAccessChange] {
        var out: [CompactAccessChange] = []
        var index: [Key: Int] = [:]
        for c in changes {
            let key = Key(target: PermissionAtom(verb: "", target: c.atom.target), except: Set(c.except.map { PermissionAtom(verb: $0.verb, target: $0.target) }))
            let i: Int
            if let existing = index[key] {
                i = existing
            } else {
                i = out.count
                index[key] = i
                out.append(CompactAccessChange(verbs: [], target: c.atom.target, except: c.except, sensitivity: [], causes: []))
            }
            out[i].verbs.append(c.atom.verb)
            if let s = c.sensitivity, !out[i].sensitivity.contains(s) { out[i].sensitivity.append(s) }
            for cause in c.causes where !out[i].causes.contains(cause) { out[i].causes.append(cause) }
        }
        return out
    }

    private struct Key: Hashable {
        var target: PermissionAtom
        var except: Set<PermissionAtom>
    }
}

extension ScopeChange {
    /// The gained changes, compacted.
    public var compactGained: [CompactAccessChange] { CompactAccessChange.compact(gained) }
    /// The lost changes, compacted.
    public var compactLost: [CompactAccessChange] { CompactAccessChange.compact(lost) }

    /// Whether every change of `other` (the cluster-wide scope) is also a change here.
    public func includes(_ other: ScopeChange) -> Bool {
        other.signature.isSubset(of: signature)
    }

    /// This scope's changes that `other` (the cluster-wide scope) does not also list.
    public func subtracting(_ other: ScopeChange) -> ScopeChange {
        let theirs = other.signature
        var s = self
        s.gained = gained.filter { !theirs.contains(SignatureEntry(gained: true, atom: $0.atom, except: Set($0.except))) }
        s.lost = lost.filter { !theirs.contains(SignatureEntry(gained: false, atom: $0.atom, except: Set($0.except))) }
        return s
    }
}
