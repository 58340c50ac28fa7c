#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an input line by line to find where the next YAML document starts.
struct LineScanner {
    private var file: UnsafeMutablePointer<FILE>?
    private var bytes: [UInt8]
    private var position: Int

    init?(path: String, offset: Int) {
        guard let f = fopen(path, "rb") else { return nil }
        if offset > 0, fseeko(f, off_t(offset), SEEK_SET) != 0 {
            fclose(f)
            return nil
        }
        file = f
        bytes = []
        position = offset
    }

    init(bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        position = offset
    }

    /// The byte offset and line of the first line at or after line `atOrAfter` that starts a
    /// document (`---` followed by a space, a tab or the end of the line). The scan starts at
    /// the offset the scanner was made with, which is line `firstLine`.
    mutating func nextDocumentStart(firstLine: Int, atOrAfter minLine: Int) -> (offset: Int, line: Int)? {
        defer { if let file { fclose(file) } }
        var line = firstLine
        var lineStart = position
        var atLineStart = true
        var prefix: [UInt8] = []
        var offset = position
        func check() -> Bool {
            guard prefix.count >= 3, prefix[0] == 45, prefix[1] == 45, prefix[2] == 45 else { return false }
            return prefix.count == 3 || prefix[3] == 32 || prefix[3] == 9 || prefix[3] == 10 || prefix[3] == 13
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            if let file {
                n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            } else {
                n = min(buffer.count, bytes.count - offset)
                if n > 0 { buffer.replaceSubrange(0..<n, with: bytes[offset..<offset + n]) }
            }
            if n <= 0 { break }
            for i in 0..<n {
                let c = buffer[i]
                if atLineStart { prefix.removeAll(keepingCapacity: true); atLineStart = false }
                if prefix.count < 4 { prefix.append(c) }
                if c == 10 {
                    if line >= minLine && check() { return (lineStart, line) }
                    line += 1
                    lineStart = offset + i + 1
                    atLineStart = true
                }
            }
            offset += n
        }
        if !atLineStart, line >= minLine, check() { return (lineStart, line) }
        return nil
    }
}
