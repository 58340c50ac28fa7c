// JSON strings with surrogate escapes (found by `make fuzz`: a high surrogate followed by an
// escape that is not a low surrogate crashed the parser on an arithmetic overflow). As Go's
// encoding/json reads them: a pair is one character, a lone surrogate is U+FFFD.

import RBACCore
import Testing

@Suite("JSON: surrogate escapes")
struct JSONSurrogateTests {
    @Test(
        "surrogate escapes decode as Go decodes them",
        arguments: [
            (#""\ud83d\ude00""#, "\u{1F600}"),
            (#""\ud83d\u0041""#, "\u{FFFD}A"),
            (#""\ud83d\ud0e0""#, "\u{FFFD}\u{D0E0}"),
            (#""\ud83dx""#, "\u{FFFD}x"),
            (#""\ude00""#, "\u{FFFD}"),
        ])
    func surrogates(json: String, expected: String) throws {
        #expect(try JSONValue.parse(json) == .string(expected))
    }
}
