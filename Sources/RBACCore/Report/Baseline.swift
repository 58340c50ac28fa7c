/// A baseline (`report --ignore FILE`): findings accepted earlier, one entry per line, each a
/// finding's ``Finding/baselineKey`` (`RULE-ID KIND/NS/NAME [PRINCIPAL]`) or a prefix of one
/// that ends at a space (`RULE-ID KIND/NS/NAME` accepts the rule's findings on that object for
/// every principal). Blank lines and `#` comment lines are skipped.
///
/// Entries are compared with keys byte for byte, as the keys are built: `user:zoë` composed and
/// decomposed are two identities to the API server, so an entry accepting one never hides the
/// other's finding.
public struct Baseline: Sendable {
    /// The entries, in file order: trimmed of spaces, tabs and carriage returns, no blank or
    /// comment lines.
    public let entries: [String]
    private let index: Set<ExactKey>

    /// A baseline of the given lines (each trimmed; blank and `#` lines skipped).
    public init(lines: [String] = []) {
        entries = lines.compactMap { line -> String? in
            let entry = Self.trimmed(line)
            return entry.utf8.isEmpty || entry.hasExactPrefix("#") ? nil : entry
        }
        index = Set(entries.map(ExactKey.init))
    }

    /// A baseline file's text, split into lines at line feeds; `\r\n` line ends (a file checked
    /// out on Windows) read as `\n`.
    public init(text: String) {
        self.init(lines: text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) })
    }

    /// Whether no entry is given.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether an entry accepts `finding`: its key is an entry, or begins with an entry and a
    /// space.
    public func accepts(_ finding: Finding) -> Bool {
        !index.isEmpty && !matchingEntries(of: finding.baselineKey).isEmpty
    }

    /// The entries that accept none of `findings` (stale, or a typo), in file order.
    public func unmatched(by findings: [Finding]) -> [String] {
        guard !index.isEmpty else { return [] }
        var used = Set<ExactKey>()
        for f in findings { used.formUnion(matchingEntries(of: f.baselineKey)) }
        return entries.filter { !used.contains(ExactKey($0)) }
    }

    /// The entries matching `key`: the key itself and each of its prefixes that a space follows.
    private func matchingEntries(of key: String) -> [ExactKey] {
        var found: [ExactKey] = []
        let bytes = key.utf8
        var i = bytes.startIndex
        while i != bytes.endIndex {
            if bytes[i] == UInt8(ascii: " ") {
                // By bytes: a String subscript would round to a Character boundary.
                let prefix = ExactKey(String(decoding: bytes[bytes.startIndex..<i], as: UTF8.self))
                if index.contains(prefix) { found.append(prefix) }
            }
            i = bytes.index(after: i)
        }
        if index.contains(ExactKey(key)) { found.append(ExactKey(key)) }
        return found
    }

    /// `line` without leading and trailing spaces, tabs and carriage returns (by bytes: a
    /// `\r\n` pair is one Swift Character, which a Character test would not trim).
    private static func trimmed(_ line: String) -> String {
        let bytes = Array(line.utf8)
        func blank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
