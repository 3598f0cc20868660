/// A `{% docs name %}…{% enddocs %}` block (in `.md` files): its raw contents are documentation.
public struct DocBlock: Sendable, Hashable {
    /// The docs block name, as used in `doc()`.
    public let name: String
    /// The raw text between the tags.
    public let contents: String
    /// Where the `{% docs` tag is written.
    public let location: SourceLocation
}

extension TemplateParser {
    mutating func parseDocs(openedAt offset: Int) throws -> Node {
        let (name, contents, location, body) = try parseNamedRawBlock(
            "docs", label: "docs block name", openedAt: offset)
        return .docs(DocBlock(name: name, contents: contents, location: location), body: body)
    }

    /// `{% tag name %}…{% endtag %}`: the name, the raw text between the tags, where the opening
    /// tag is written, and the parsed body (shared by `docs` and `snapshot` blocks).
    mutating func parseNamedRawBlock(
        _ tag: String, label: String, openedAt offset: Int
    ) throws -> (name: String, contents: String, location: SourceLocation, body: [Node]) {
        _ = advance()
        let name = try expectName(label)
        let contentStart = try expectBlockEnd()
        let (body, _) = try parseBlockBody(tag, openedAt: offset, until: ["end" + tag])
        // the end tag's `{%` precedes its name
        let contentEnd = tokens[index - 2].offset
        try expectBlockEnd()
        return (name.value, source.slice(contentStart, max(contentStart, contentEnd)), source.location(offset), body)
    }
}
