// rbacgraph-fuzz: libFuzzer entry points for the parsers of untrusted input (FuzzTarget).
//
//   rbacgraph-fuzz TARGET [libFuzzer options] [CORPUS_DIR…]   fuzz (a `make fuzz` build)
//   rbacgraph-fuzz TARGET FILE…                               run each file once (any build)
//   rbacgraph-fuzz TARGET --repeat N FILE…                    run the files N times over and print
//                                                             the resident memory after each pass
//
// `make fuzz FUZZ_SECONDS=N` builds it with address sanitizer and coverage, links libFuzzer,
// and runs every target in turn.

import CFuzzerDriver
import FuzzTargets

#if canImport(Glibc)
import Glibc
#endif

func printError(_ message: String) {
    var m = message
    m.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    printError("usage: rbacgraph-fuzz TARGET [libFuzzer options] [corpus dirs or files]\ntargets: \(names)\n")
    exit(64)
}

nonisolated(unsafe) var selected = target

/// Reads `path` whole.
func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else {
        printError("rbacgraph-fuzz: cannot read \(path)\n")
        exit(66)
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    fclose(f)
    return bytes
}

/// The resident set in KiB (`/proc/self/statm`), 0 where it cannot be read.
func residentKiB() -> Int {
    let fields = String(decoding: readFile("/proc/self/statm"), as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

// Memory growth across inputs: the same inputs, pass after pass, in one process. A target
// that keeps something per input (a cache, a leak the leak checker cannot see because it is
// still referenced) grows with every pass; one that does not levels off after the first.
if arguments.count >= 4, arguments[2] == "--repeat", let passes = Int(arguments[3]), passes > 0 {
    let inputs = arguments.dropFirst(4).map(readFile)
    print("rbacgraph-fuzz \(target.rawValue): \(inputs.count) input(s), \(passes) pass(es); resident KiB before: \(residentKiB())")
    for pass in 1...passes {
        for bytes in inputs { target.run(bytes) }
        print("pass \(pass): resident KiB \(residentKiB())")
    }
    exit(0)
}

// libFuzzer sees the arguments without the target name.
var cArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) }
cArguments.append(nil)
var argc = Int32(cArguments.count - 1)
let status: Int32 = cArguments.withUnsafeMutableBufferPointer { buffer in
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return rbacgraph_fuzzer_run_driver(&argc, &argv) { data, size in
        selected.run(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
}
if status != -1 { exit(status) }

// Not linked with libFuzzer: run each file given once.
var ran = 0
for path in arguments.dropFirst(2) where !path.hasPrefix("-") {
    target.run(readFile(path))
    ran += 1
}
print("rbacgraph-fuzz: not built with libFuzzer (make fuzz); ran \(ran) input(s) once")
