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
        let (name, contents, location, body) = try parseNamedRawBlock(
            "snapshot", label: "snapshot name", openedAt: offset)
        return .snapshot(SnapshotBlock(name: name, contents: contents, location: location), body: body)
    }
}
