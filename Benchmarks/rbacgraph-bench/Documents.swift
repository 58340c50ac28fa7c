import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The other shapes of the same objects: a GitOps repository keeps one object per YAML
/// document, several documents per file, many files.
enum DocumentShapes {
    /// The items of a generated `kind: List` dump, each as the text of a YAML document
    /// (`- ` and the two-space indentation of the item removed). The generator writes every
    /// item as `- ` at column 0 and everything else indented: an item starts at each such line.
    static func items(ofList path: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BenchError("cannot read \(path)")
        }
        guard let itemsStart = text.range(of: "\nitems:\n")?.upperBound,
            let itemsEnd = text.range(of: "\nkind: List\n", options: .backwards)?.lowerBound
        else { throw BenchError("\(path) is not a generated List") }
        var out: [Substring] = []
        var current = ""
        for line in text[itemsStart...itemsEnd].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("- ") {
                if !current.isEmpty { out.append(Substring(current)) }
                current = String(line.dropFirst(2)) + "\n"
            } else if !current.isEmpty {
                current += line.dropFirst(2) + "\n"  // an empty line stays empty
            }
        }
        if !current.isEmpty { out.append(Substring(current)) }
        return out
    }

    /// Writes the items as one multi-document stream (`---` before each document).
    static func writeStream(_ items: [Substring], to path: String) throws -> Int {
        var text = ""
        text.reserveCapacity(items.reduce(0) { $0 + $1.utf8.count + 4 })
        for item in items {
            text += "---\n"
            text += item
        }
        try write(text, to: path)
        return text.utf8.count
    }

    /// Writes the items as a repository: `perFile` documents per file, files in folders of 100.
    /// - Returns: files and bytes written.
    static func writeRepository(_ items: [Substring], perFile: Int, to dir: String) throws -> (files: Int, bytes: Int) {
        let tmp = dir + ".tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: tmp)
        var files = 0, bytes = 0
        var i = 0
        while i < items.count {
            let folder = "\(tmp)/\(String(format: "%03d", files / 100))"
            if files % 100 == 0 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var text = ""
            for (n, item) in items[i..<min(items.count, i + perFile)].enumerated() {
                if n > 0 { text += "---\n" }
                text += item
            }
            try write(text, to: "\(folder)/objects-\(String(format: "%05d", files)).yaml")
            bytes += text.utf8.count
            files += 1
            i += perFile
        }
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.moveItem(atPath: tmp, toPath: dir)
        return (files, bytes)
    }

    private static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw BenchError("cannot write \(path)")
        }
    }
}
