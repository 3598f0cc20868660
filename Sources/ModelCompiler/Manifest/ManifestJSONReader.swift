import Foundation

/// Reads `manifest.json` (for `--state`) with the nodes and graph maps decoded on every core: one
/// `JSONDecoder` over the 28 MB manifest of a 10,000-model project took over a second. A structural
/// scan finds each node's JSON value (strings and nesting only, no interpretation); each is then
/// decoded by `JSONDecoder` as usual, and the rest of the manifest with those objects emptied.
public enum ManifestJSONReader {
    public static func decode(_ data: Data) throws -> Manifest {
        let bytes = [UInt8](data)
        let start = skipSpace(bytes, 0)
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else {
            return try JSONDecoder().decode(Manifest.self, from: data)
        }
        // Every node, and the two graph maps (an entry per node each), decoded side by side; the
        // rest of the manifest with those three emptied.
        let top = try objectMembers(bytes, from: start, to: try skipValue(bytes, start))
        let heavy = ["nodes", "child_map", "parent_map"]
        var jobs: [Job] = []
        var emptied: [Range<Int>] = []
        for member in top {
            let key = try memberKey(bytes[member.key])
            guard heavy.contains(key) else { continue }
            emptied.append(member.value)
            if key == "nodes" {
                jobs += try objectMembers(bytes, from: member.value.lowerBound, to: member.value.upperBound).map {
                    .node($0.key, $0.value)
                }
            } else {
                jobs.append(.map(key, member.value))
            }
        }
        let results: [Result<Decoded, any Error>] = parallelMap(jobs) { job in
            Result {
                switch job {
                case .node(let key, let value):
                    return .node(
                        try memberKey(bytes[key]), try JSONDecoder().decode(ManifestNode.self, from: Data(bytes[value]))
                    )
                case .map(let name, let value):
                    return .map(name, try JSONDecoder().decode([String: [String]].self, from: Data(bytes[value])))
                }
            }
        }
        var rest: [UInt8] = []
        rest.reserveCapacity(bytes.count / 8)
        var position = 0
        for range in emptied.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            rest += bytes[position..<range.lowerBound]
            rest += Array("{}".utf8)
            position = range.upperBound
        }
        rest += bytes[position...]
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(rest))
        manifest.nodes.reserveCapacity(jobs.count)
        for result in results {
            switch try result.get() {
            case .node(let id, let node): manifest.nodes[id] = node
            case .map("child_map", let map): manifest.childMap = map
            case .map(_, let map): manifest.parentMap = map
            }
        }
        manifest.attachUnitTestsToModels()
        return manifest
    }

    private enum Job: Sendable {
        case node(Range<Int>, Range<Int>)
        case map(String, Range<Int>)
    }

    private enum Decoded: Sendable {
        case node(String, ManifestNode)
        case map(String, [String: [String]])
    }

    /// The key and value ranges of an object's members (`from` at its `{`, `to` just after its `}`).
    static func objectMembers(
        _ bytes: [UInt8], from start: Int, to end: Int
    ) throws -> [(key: Range<Int>, value: Range<Int>)] {
        var members: [(key: Range<Int>, value: Range<Int>)] = []
        var index = skipSpace(bytes, start + 1)
        while index < end - 1 {
            let keyStart = index
            let keyEnd = try skipString(bytes, keyStart)
            index = skipSpace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw malformed(index) }
            let valueStart = skipSpace(bytes, index + 1)
            let valueEnd = try skipValue(bytes, valueStart)
            members.append((keyStart..<keyEnd, valueStart..<valueEnd))
            index = skipSpace(bytes, valueEnd)
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index = skipSpace(bytes, index + 1) }
        }
        return members
    }

    /// A key's text: the bytes between the quotes when there is no escape, else JSON's decoding.
    static func memberKey(_ token: ArraySlice<UInt8>) throws -> String {
        let inner = token.dropFirst().dropLast()
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        return try JSONDecoder().decode(String.self, from: Data(token))
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
        return index
    }

    /// Just after the string token starting at `start`.
    private static func skipString(_ bytes: [UInt8], _ start: Int) throws -> Int {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { throw malformed(start) }
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        throw malformed(start)
    }

    /// Just after the value starting at `start`: a string, an object or array (by nesting, skipping
    /// strings), or a scalar (up to the next `,`, `}` or `]`).
    private static func skipValue(_ bytes: [UInt8], _ start: Int) throws -> Int {
        guard start < bytes.count else { throw malformed(start) }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return try skipString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = try skipString(bytes, index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            throw malformed(start)
        default:
            var index = start
            while index < bytes.count,
                ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index])
            {
                index += 1
            }
            return index
        }
    }

    private static func malformed(_ offset: Int) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: [], debugDescription: "malformed JSON near byte \(offset)"))
    }
}
