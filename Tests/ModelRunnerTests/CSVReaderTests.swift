import Foundation
import Testing

@testable import ModelRunner

@Suite struct CSVReaderTests {
    static func read(_ text: String, delimiter: Character = ",", chunkSize: Int = 1 << 20) throws -> [[String]] {
        var reader = CSVReader(bytes: Array(text.utf8), delimiter: delimiter.asciiValue!, chunkSize: chunkSize)
        return try reader.readAll()
    }

    @Test(arguments: [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
        ("a,b\r1,2", [["a", "b"], ["1", "2"]]),
        ("a,b\n1,2", [["a", "b"], ["1", "2"]]),
        ("\u{FEFF}id,name\n1,x\n", [["id", "name"], ["1", "x"]]),
        ("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", [["a", "b"], ["x,y", "say \"hi\""]]),
        ("a,b\n\"line1\nline2\",2\n", [["a", "b"], ["line1\nline2", "2"]]),
        ("a,b\r\n\"line1\r\nline2\",2\r\n", [["a", "b"], ["line1\r\nline2", "2"]]),
        ("a,b\n,\n\"\",x\n", [["a", "b"], ["", ""], ["", "x"]]),
        ("a\n\n", [["a"], [""]]),
        ("é,ü\nças,日本\n", [["é", "ü"], ["ças", "日本"]]),
    ])
    func parses(input: String, expected: [[String]]) throws {
        #expect(try Self.read(input) == expected)
        // The same input read one byte per chunk: chunk boundaries never change the result.
        #expect(try Self.read(input, chunkSize: 1) == expected)
    }

    @Test func semicolonDelimiter() throws {
        #expect(try Self.read("a;b\n\"1;5\";2\n", delimiter: ";") == [["a", "b"], ["1;5", "2"]])
    }

    @Test func recordLinesCountEmbeddedNewlines() throws {
        var reader = CSVReader(bytes: Array("h\n\"a\nb\nc\"\nd\n".utf8))
        var record = CSVRecord()
        var lines: [Int] = []
        while try reader.next(into: &record) { lines.append(record.line) }
        #expect(lines == [1, 2, 5])
    }

    @Test(arguments: [
        ("a,b\n\"open,2\n3,4\n", "unterminated quoted field", 2),
        ("a,b\n\"x\"y,2\n", "unexpected character after closing quote", 2),
        ("a,b\n1,x\"y\n", "quote inside an unquoted field", 2),
        ("a,b\n1,2\r\n3,4\n", "mixed line endings (CRLF after LF)", 2),
    ])
    func malformed(input: String, message: String, line: Int) {
        #expect(throws: CSVError(message, line: line)) { try Self.read(input) }
    }
}
