// JSON written piece by piece (`report -o json`, `diff -o json`): the pieces put together are
// exactly the indented text of the whole value, whatever the size of the pieces, so a large
// report or diff is never held whole in memory.

import RBACCore
import Testing

@Suite("JSON: written in pieces")
struct JSONStreamingTests {
    static let values: [JSONValue] = [
        .null, .string("a \"quoted\" line\nand a tab\t"), .array([]), .object([]),
        .object([("a", .array([.number(1), .bool(true), .null])), ("b", .object([("c", .string("é"))])), ("e", .array([]))]),
        .array([.object([("k", .array([.array([.string("deep")])]))]), .number(2.5)]),
    ]

    /// The bytes `write` gives its sink, with the size of each piece but the last.
    static func pieces(_ write: (([UInt8]) -> Void) -> Void) -> (text: String, sizes: [Int]) {
        var all: [UInt8] = [], sizes: [Int] = []
        write { all += $0; sizes.append($0.count) }
        return (String(decoding: all, as: UTF8.self), Array(sizes.dropLast()))
    }

    @Test("writePretty gives prettySerialized() and a line end, in pieces of at least the chunk size", arguments: values, [1, 8, 1 << 16])
    func whole(value: JSONValue, chunk: Int) {
        let (text, sizes) = Self.pieces { sink in value.writePretty(chunk: chunk, to: sink) }
        #expect(text == value.prettySerialized() + "\n")
        #expect(sizes.allSatisfy { $0 >= chunk })
    }

    @Test("writePretty(members:) gives the object of the members, lazy arrays built element by element", arguments: [1, 8, 1 << 16])
    func members(chunk: Int) {
        var built: [Int] = []
        let members: [(String, JSONValue.Member)] = [
            ("schema", .value(.string("v1"))),
            ("none", .elements(count: 0) { _ in .null }),
            ("items", .elements(count: 3) { i in
                built.append(i)
                return .object([("i", .number(Double(i))), ("list", .array([.string("x")]))])
            }),
            ("objects", .value(.array(Self.values))),
        ]
        let (text, _) = Self.pieces { sink in JSONValue.writePretty(members: members, chunk: chunk, to: sink) }
        #expect(built == [0, 1, 2])
        #expect(text == JSONValue.object(members.map { ($0, $1.value) }).prettySerialized() + "\n")
        let (empty, _) = Self.pieces { sink in JSONValue.writePretty(members: [], chunk: chunk, to: sink) }
        #expect(empty == "{}\n")
    }
}
