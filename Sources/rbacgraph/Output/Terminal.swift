import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// Terminal facts and small stderr helpers.
enum Terminal {
    /// Whether to color standard output: a terminal, `NO_COLOR` unset, `TERM` not `dumb`.
    static var colorStdout: Bool { useColor(fd: 1) }
    static var colorStderr: Bool { useColor(fd: 2) }

    static func useColor(fd: Int32) -> Bool {
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return isatty(fd) != 0
    }

    static func paint(_ s: String, _ code: String, color: Bool) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    static func writeStderr(_ s: String) { _ = IO.writeAll(Array(s.utf8), to: 2) }

    static func warn(_ message: String) {
        writeStderr(paint("warning:", "1;33", color: colorStderr) + " \(message)\n")
    }

    /// `error: message` on stderr, for errors that need no usage text.
    static func error(_ message: String) {
        writeStderr(paint("error:", "1;31", color: colorStderr) + " \(message)\n")
    }

    nonisolated(unsafe) static var progressShown = false

    /// A one-line progress message on stderr (terminal only), overwritten by the next.
    static func progress(_ message: String) {
        writeStderr("\r\u{1B}[K" + message)
        progressShown = true
    }

    static func clearProgress() {
        if progressShown {
            writeStderr("\r\u{1B}[K")
            progressShown = false
        }
    }
}

/// Prints load diagnostics compiler-style, with the source line and a caret on a terminal.
enum DiagnosticPrinter {
    static func print(_ d: LoadDiagnostic) {
        let color = Terminal.colorStderr
        let label: String
        switch d.severity {
        case .error: label = Terminal.paint("error:", "1;31", color: color)
        case .warning: label = Terminal.paint("warning:", "1;33", color: color)
        case .note: label = Terminal.paint("note:", "1;36", color: color)
        }
        var out = Terminal.paint("\(d.location):", "1", color: color) + " \(label) \(d.message)\n"
        if isatty(2) != 0, d.location.line > 0, let line = sourceLine(file: d.location.file, line: d.location.line) {
            let shown = line.count > 200 ? String(line.prefix(200)) + "…" : line
            out += shown + "\n"
            let col = max(1, min(d.location.column, shown.count + 1))
            out += String(repeating: " ", count: col - 1) + Terminal.paint("^", "1;32", color: color) + "\n"
        }
        Terminal.writeStderr(out)
    }

    /// Line `line` (1-based) of a file, or nil.
    static func sourceLine(file: String, line: Int) -> String? {
        guard file != "-", let f = fopen(file, "rb") else { return nil }
        defer { fclose(f) }
        var current = 1
        var bytes: [UInt8] = []
        while true {
            let c = getc(f)
            if c == EOF { break }
            if current == line {
                if c == 10 { break }
                if bytes.count < 4096 { bytes.append(UInt8(c)) }
            } else if c == 10 {
                current += 1
                if current > line { break }
            }
        }
        return current == line ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
