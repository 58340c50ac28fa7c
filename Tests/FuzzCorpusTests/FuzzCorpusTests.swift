// The fuzz corpora replayed: every committed input of Fuzz/corpus/TARGET/ (seeds, and each
// input that once crashed a target, kept as a regression test) runs through the same entry
// point `make fuzz` drives, in a normal build. An input that crashes fails the whole test run;
// a slow one fails its test here.

import Foundation
import FuzzTargets
import TestSupport
import Testing

@Suite("Fuzz corpora replayed")
struct FuzzCorpusTests {
    static let corpus = Repository.root.appendingPathComponent("Fuzz/corpus")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let dir = corpus.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test("every committed input runs through its target, each in under a second", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty, "Fuzz/corpus/\(target.rawValue)/ has no input")
        for url in inputs {
            let bytes = [UInt8](try Data(contentsOf: url))
            let start = ContinuousClock.now
            target.run(bytes)
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(1), "\(url.lastPathComponent) took \(elapsed)")
        }
    }
}
