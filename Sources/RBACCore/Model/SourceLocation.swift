/// Where an object came from: a file (or `-` for standard input) and a 1-based line and column;
/// line 0 means the file as a whole (it is missing, unreadable, binary).
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The whole of `file`, for problems that concern no line of it.
    public init(file: String) {
        self.init(file: file, line: 0, column: 0)
    }

    /// `file:line:col`, the form compilers and editors understand; just `file` for the file
    /// as a whole.
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}
