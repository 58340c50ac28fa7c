/// An aligned text table, kubectl style: upper-case headers, two spaces between columns, a
/// bold header on a color terminal.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// Renders the table. `paint` may color a cell (row, column, text) → text.
    /// Without `headers` (kubectl's `--no-headers`), the rows only.
    func render(color: Bool, headers showHeaders: Bool = true, paint: ((Int, Int, String) -> String)? = nil) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String], row: Int?) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                var text = cell
                if let row, let paint { text = paint(row, i, cell) }
                out += text
                if !last { out += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return out
        }
        var out = showHeaders ? Terminal.paint(line(headers, row: nil), "1", color: color) + "\n" : ""
        for (r, row) in rows.enumerated() { out += line(row, row: r) + "\n" }
        return out
    }

    /// `text` with `prefix` before each of its lines that is not empty: the lines of
    /// `text.split(separator: "\n", omittingEmptySubsequences: false)` (a CR LF is one
    /// character there, so no line end), joined again with `\n`. Byte by byte: a table of
    /// many rows is indented in time linear in its bytes.
    static func indent(_ text: String, _ prefix: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var atStart = true
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") {
                atStart = true
            } else if atStart {
                out += prefix.utf8
                atStart = false
            }
            out.append(b)
            previous = b
        }
        return String(decoding: out, as: UTF8.self)
    }
}
