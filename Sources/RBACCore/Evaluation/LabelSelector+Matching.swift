// `metav1.LabelSelectorAsSelector` and `labels.NewRequirement` validation, used by the
// ClusterRole aggregation controller. See RBAC-SEMANTICS §7.

/// Why a label selector cannot be used.
public struct SelectorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension LabelSelector {
    /// Whether the selector matches `labels`.
    ///
    /// An empty selector matches everything; matchLabels and matchExpressions are ANDed.
    /// - Throws: ``SelectorError`` for an unknown operator or invalid keys and values, as
    ///   `LabelSelectorAsSelector` does.
    public func matches(_ labels: [String: String]) throws(SelectorError) -> Bool {
        try validate()
        return matchesValidated(labels)
    }

    /// ``matches(_:)`` for a selector already validated (an invalid operator matches nothing).
    func matchesValidated(_ labels: [String: String]) -> Bool {
        // Byte-exact lookups: a Swift dictionary would also find canonically equivalent keys.
        // Label maps are small; valid keys are ASCII anyway.
        func value(_ key: String) -> String? {
            labels.first { $0.key.isExactly(key) }?.value
        }
        for pair in matchLabelPairs {
            guard let v = value(pair.key), v.isExactly(pair.value) else { return false }
        }
        for req in matchExpressions {
            let value = value(req.key)
            switch req.operator {
            case "In": if !(value.map { req.values.containsExactly($0) } ?? false) { return false }
            case "NotIn": if let value, req.values.containsExactly(value) { return false }
            case "Exists": if value == nil { return false }
            case "DoesNotExist": if value != nil { return false }
            default: return false
            }
        }
        return true
    }

    /// The checks of `labels.NewRequirement`.
    public func validate() throws(SelectorError) {
        for pair in matchLabelPairs {
            try Self.validateKey(pair.key)
            try Self.validateValue(pair.value)
        }
        for req in matchExpressions {
            switch req.operator {
            case "In", "NotIn":
                if req.values.isEmpty {
                    throw SelectorError(message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty")
                }
            case "Exists", "DoesNotExist":
                if !req.values.isEmpty {
                    throw SelectorError(message: "values: Invalid value: values set must be empty for exists and does not exist")
                }
            default:
                throw SelectorError(message: "\"\(req.operator)\" is not a valid label selector operator")
            }
            try Self.validateKey(req.key)
            for v in req.values { try Self.validateValue(v) }
        }
    }

    /// A qualified name: optional DNS-subdomain prefix and `/`, then a name of at most 63
    /// characters, alphanumeric at both ends with `-`, `_`, `.` inside.
    static func validateKey(_ key: String) throws(SelectorError) {
        var name = Substring(key)
        if let slash = key.firstIndex(of: "/") {
            let prefix = key[..<slash]
            name = key[key.index(after: slash)...]
            if prefix.isEmpty || prefix.utf8.count > 253 || !isDNSSubdomain(prefix) {
                throw SelectorError(message: "key: Invalid value: \"\(key)\": prefix part must be a DNS subdomain")
            }
        }
        if name.isEmpty || name.utf8.count > 63 || !isQualifiedNamePart(name) {
            throw SelectorError(message: "key: Invalid value: \"\(key)\": name part must consist of alphanumeric characters, '-', '_' or '.'")
        }
    }

    /// A label value: empty, or at most 63 characters, alphanumeric at both ends.
    static func validateValue(_ value: String) throws(SelectorError) {
        if value.isEmpty { return }
        if value.utf8.count > 63 || !isQualifiedNamePart(Substring(value)) {
            throw SelectorError(message: "values[0]: Invalid value: \"\(value)\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'")
        }
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    private static func isQualifiedNamePart(_ s: Substring) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, let last = u.last, isAlnum(first), isAlnum(last) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    private static func isDNSSubdomain(_ s: Substring) -> Bool {
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            let u = Array(label.utf8)
            guard let first = u.first, let last = u.last, u.count <= 63 else { return false }
            let lowerAlnum = { (c: UInt8) in (c >= 48 && c <= 57) || (c >= 97 && c <= 122) }
            guard lowerAlnum(first), lowerAlnum(last), u.allSatisfy({ lowerAlnum($0) || $0 == 45 }) else {
                return false
            }
        }
        return true
    }
}
