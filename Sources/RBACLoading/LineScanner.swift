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
    /// Where the input ends for the scan (a part of a file).
    private var end = Int.max

    /// Reads `path` from `offset`; with an `end`, the input stops at that offset.
    init?(path: String, offset: Int, end: Int = .max) {
        guard let f = fopen(path, "rb") else { return nil }
        if offset > 0, fseeko(f, off_t(offset), SEEK_SET) != 0 {
            fclose(f)
            return nil
        }
        file = f
        bytes = []
        position = offset
        self.end = end
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
                let want = min(buffer.count, end - offset)
                n = want <= 0 ? 0 : buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, want, file) }
            } else {
                n = min(buffer.count, bytes.count - offset)
                if n > 0 { buffer.replaceSubrange(0..<n, with: bytes[offset..<offset + n]) }
            }
            if n <= 0 { break }
            // The first 4 bytes of each line byte by byte, then memchr to its end.
            var found: (offset: Int, line: Int)? = nil
            buffer.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return }
                var i = 0
                while i < n {
                    if atLineStart { prefix.removeAll(keepingCapacity: true); atLineStart = false }
                    var lineEnd = -1  // the line feed ending this line, if in the buffer
                    while prefix.count < 4 && i < n {
                        let c = base[i]
                        prefix.append(c)
                        i += 1
                        if c == 10 {
                            lineEnd = i - 1
                            break
                        }
                    }
                    if lineEnd < 0 {
                        if i >= n { break }
                        guard let nl = memchr(base + i, 10, n - i) else {
                            i = n
                            break
                        }
                        lineEnd = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                        i = lineEnd + 1
                    }
                    if line >= minLine && check() {
                        found = (lineStart, line)
                        return
                    }
                    line += 1
                    lineStart = offset + lineEnd + 1
                    atLineStart = true
                }
            }
            if let found { return found }
            offset += n
        }
        if !atLineStart, line >= minLine, check() { return (lineStart, line) }
        return nil
    }
}
