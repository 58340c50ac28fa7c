import RBACCore

/// Text for labels: names shortened for the picture (IDs and tooltips keep them whole).
enum Label {
    /// The default longest name shown, in characters.
    static let maxName = 40

    /// `s` if it has at most `max` characters, else its start and end around `…`, so names
    /// that differ only at the end stay apart: `very-long-deployment-…-7f9c`.
    static func short(_ s: String, max: Int = maxName) -> String {
        let count = s.count
        guard count > max, max >= 5 else { return s }
        let head = (max - 1) * 2 / 3
        let tail = max - 1 - head
        return String(s.prefix(head)) + "…" + String(s.suffix(tail))
    }

    /// A tooltip: the text, cut at 1,000 characters.
    static func tooltip(_ s: String) -> DOTValue {
        .text(s.count > 1000 ? String(s.prefix(999)) + "…" : s)
    }

    /// `1 RoleBinding`, `2 RoleBindings`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (plural ?? singular + "s"))
    }

    /// Up to `limit` items joined by `, `, then `… (N in all)`.
    static func list(_ items: [String], limit: Int = 5) -> String {
        if items.count <= limit { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + ", … (\(items.count) in all)"
    }
}
