import RBACCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The little file-system access the loader needs, straight from libc (no Foundation: it
/// roughly doubles a process's resident memory). Public for the command-line tool.
public enum FileSystem {
    /// What a path names (symbolic links followed).
    public enum Kind: Sendable { case file, directory, missing }

    public static func kind(of path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// `open(path, O_RDONLY)`: a descriptor, or -1 with `errno` set.
    static func openForReading(_ path: String) -> Int32 {
        open(path, O_RDONLY)
    }

    static func size(of path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int(st.st_size)
    }

    /// What a walk of a folder found.
    struct Walk {
        /// Regular files with a wanted extension and their sizes (as the walk found them; nil
        /// when the walk was not asked for sizes and the folder's entry said "regular file"),
        /// sorted by path.
        var found: [(path: String, size: Int?)] = []
        /// The paths of ``found``.
        var files: [String] { found.map(\.path) }
        /// Folders reached again: `path` is the same folder as `target`, read already (an
        /// ancestor of `path` for a symlink loop, whose walk is not followed any further).
        var revisits: [(path: String, target: String, loop: Bool)] = []
        /// Files and folders left out by the exclusion test.
        var excluded = 0
    }

    /// Regular files under `dir` whose names end in one of `extensions` (case-insensitive),
    /// recursively, hidden entries and entries `excluded` says yes to skipped, sorted by path.
    /// Paths start with `dir` as given. Symbolic links are followed, each folder read once: a
    /// link back to a folder being walked (a loop) or to one walked already is a revisit.
    ///
    /// With `sizes: false` a file the folder's entry calls regular (`d_type`) is taken
    /// without a `stat` of its own, and its size is nil: a folder of thousands of small files
    /// spends one system call per file less (the file's `fstat`, once opened, says the rest).
    /// Folders, symbolic links and entries of a file system that gives no type are `stat`ed
    /// either way, so the same files are found.
    static func walk(_ dir: String, extensions: [String], sizes: Bool = true, excluded: (String) -> Bool = { _ in false }) -> Walk {
        var walk = Walk()
        let root = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        var seen: [FileID: (path: String, open: Bool)] = [:]
        var st = stat()
        if stat(root, &st) == 0 { seen[FileID(st)] = (root, true) }
        visit(root, extensions: extensions.map { "." + $0.lowercased() }, sizes: sizes, excluded: excluded, seen: &seen, into: &walk)
        walk.found.sort { $0.path.precedesExactly($1.path) }
        walk.revisits.sort { $0.path.precedesExactly($1.path) }
        return walk
    }

    /// A file's identity: device and inode.
    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    private static func visit(
        _ dir: String, extensions: [String], sizes: Bool, excluded: (String) -> Bool,
        seen: inout [FileID: (path: String, open: Bool)], into out: inout Walk
    ) {
        guard let d = opendir(dir) else { return }
        var entries: [(name: String, regular: Bool)] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { entries.append((name, entry.pointee.d_type == UInt8(DT_REG))) }
        }
        closedir(d)
        for (name, regular) in entries.sorted(by: { $0.name.precedesExactly($1.name) }) {
            let path = dir + "/" + name
            var st = stat()
            let known = regular && !sizes
            guard known || stat(path, &st) == 0 else { continue }
            let isDirectory = !known && (st.st_mode & S_IFMT) == S_IFDIR
            let isFile = known || (st.st_mode & S_IFMT) == S_IFREG
            guard isDirectory || isFile else { continue }
            if isFile {
                let lower = name.lowercased()
                guard extensions.contains(where: { lower.hasSuffix($0) }) else { continue }
            }
            if excluded(path) {
                out.excluded += 1
                continue
            }
            if isFile {
                out.found.append((path, known ? nil : Int(st.st_size)))
                continue
            }
            let id = FileID(st)
            if let earlier = seen[id] {
                out.revisits.append((path, earlier.path, earlier.open))
                continue
            }
            seen[id] = (path, true)
            visit(path, extensions: extensions, sizes: sizes, excluded: excluded, seen: &seen, into: &out)
            seen[id]?.open = false
        }
    }

    /// Whether a file looks binary rather than text: its first 8 KiB hold a NUL or a control
    /// character YAML forbids (as `git` and `grep` decide), with no UTF-16 or UTF-32
    /// byte-order mark. Nil when it cannot be read.
    static func looksBinary(path: String) -> Bool? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return looksBinary(fd: fd)
    }

    /// ``looksBinary(path:)`` on an open file, read from its start with `pread`: the file
    /// offset does not move, so the caller reads the file from its start next. Nil when it
    /// cannot be read that way (a pipe: its bytes are left for the caller).
    static func looksBinary(fd: Int32) -> Bool? {
        let size = 8192
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while count < size {
            let n = pread(fd, buffer.baseAddress! + count, size - count, off_t(count))
            if n < 0 && errno == EINTR { continue }
            if n < 0 && count == 0 { return nil }
            if n <= 0 { break }
            count += n
        }
        return looksBinary(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// See ``looksBinary(path:)``: the same test on bytes in memory.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { looksBinary($0) }
    }

    /// The test of ``looksBinary(path:)`` on the first 8 KiB of `bytes`.
    static func looksBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = min(bytes.count, 8192)
        guard n > 0, let p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        if n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)) { return false }
        if n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xfe && p[3] == 0xff { return false }
        var i = 0
        // Eight bytes at a time, in one 64-bit word: every file of a folder is tested, and a
        // byte loop over its first 8 KiB cost about 3% of the instructions of loading a
        // folder of 8,000 small files. A word holding a control byte other than a line feed
        // is looked at byte by byte, as the tail is: so the answer is the byte rule's.
        let raw = UnsafeRawPointer(p)
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            // The high bit of each byte below 0x20 (byte by byte: with every high bit set
            // first, no subtraction borrows from the next byte).
            let below = ~((w | high) &- 0x20 &* ones) & ~w & high
            if below != 0 {
                // The high bit of each line feed (a byte of `x` is zero exactly there).
                let x = w ^ (0x0a &* ones)
                let lineFeed = ~(((x & ~high) &+ ~high) | x) & high
                if below & ~lineFeed != 0 {
                    for k in i..<(i + 8) where isForbidden(p[k]) { return true }
                }
            }
            i += 8
        }
        while i < n {
            if isForbidden(p[i]) { return true }
            i += 1
        }
        return false
    }

    /// A control byte YAML text never holds: below 0x20, and not tab, line feed, carriage
    /// return or escape.
    @inline(__always)
    private static func isForbidden(_ c: UInt8) -> Bool {
        c < 0x20 && c != 0x09 && c != 0x0a && c != 0x0d && c != 0x1b
    }

    /// Everything readable from a file descriptor (standard input).
    public static func readAll(fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// `count` bytes of a file from offset `from` (fewer at its end), or nil.
    static func readRange(_ path: String, from offset: Int, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: max(count, 0))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + done, buffer.count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            done += n
        }
        out.removeLast(out.count - done)
        return out
    }

    /// The bytes of a file (or of any path the kernel can read, such as `/dev/null`), or nil.
    public static func readFile(_ path: String) -> [UInt8]? {
        readFile(path, atMost: .max)
    }

    /// The bytes of a file of at most `limit` bytes (by its size when opened), or nil when it
    /// cannot be opened or is larger. A regular file is read straight into an array of its
    /// size: one `open`, one `fstat`, two `read`s (the second finds the end) and one `close`,
    /// where a `FILE` reads it through a buffer of its own, 4 KiB at a time.
    static func readFile(_ path: String, atMost limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        // Files the kernel makes up (`/proc`) have size 0; pipes and devices none: read to the end.
        let regular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        return readWhole(fd: fd, size: regular ? Int(st.st_size) : nil, atMost: limit)
    }

    /// The rest of an open file, read straight into an array of its size (`size`, from its
    /// `fstat`; nil for a pipe or device, read to its end), or nil when it is a regular file
    /// larger than `limit`.
    ///
    /// A regular file is asked for one byte more than its size: a read that returns exactly
    /// its size, short of what was asked, has read the file as `fstat` found it, and no
    /// second `read` is made to see the end (a folder of thousands of small files: one system
    /// call per file). A file that grew since gives that extra byte and is read on to its end.
    static func readWhole(fd: Int32, size regularSize: Int?, atMost limit: Int = .max) -> [UInt8]? {
        let regular = regularSize != nil
        let size = regularSize ?? 0
        guard size <= limit else { return nil }
        var atEnd = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            while count < buffer.count, let base = buffer.baseAddress {
                let n = read(fd, base + count, buffer.count - count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    atEnd = true
                    break
                }
                count += n
                if regular && count == size {
                    atEnd = true
                    break
                }
            }
        }
        if !atEnd { bytes += readAll(fd: fd) }  // it grew since, or its size said nothing
        // A pipe can be read only once: its bytes are returned whatever their number (nil
        // would leave the caller nothing to read).
        guard bytes.count <= limit || !regular else { return nil }
        return bytes
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
