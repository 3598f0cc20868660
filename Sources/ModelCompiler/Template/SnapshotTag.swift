/// A `{% snapshot name %}…{% endsnapshot %}` block of a dbt snapshot file; its body renders in place.
public struct SnapshotBlock: Sendable, Hashable {
    /// The snapshot name.
    public let name: String
    /// The raw text between the tags.
    public let contents: String
    /// Where the `{% snapshot` tag is written.
    public let location: SourceLocation
}

extension TemplateParser {
    mutating func parseSnapshot(openedAt offset: Int) throws -> Node {
        _ = advance()
        let name = try expectName("snapshot name")
        let contentStart = try expectBlockEnd()
        let (body, _) = try parseBlockBody("snapshot", openedAt: offset, until: ["endsnapshot"])
        let contentEnd = tokens[index - 2].offset
        try expectBlockEnd()
        let block = SnapshotBlock(
            name: name.value, contents: source.slice(contentStart, max(contentStart, contentEnd)),
            location: source.location(offset))
        return .snapshot(block, body: body)
    }
}
