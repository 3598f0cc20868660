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
        _ = advance()
        let name = try expectName("docs block name")
        let contentStart = try expectBlockEnd()
        let (body, _) = try parseBlockBody("docs", openedAt: offset, until: ["enddocs"])
        // the end tag's `{%` precedes its name
        let contentEnd = tokens[index - 2].offset
        try expectBlockEnd()
        let block = DocBlock(
            name: name.value, contents: source.slice(contentStart, max(contentStart, contentEnd)),
            location: source.location(offset))
        return .docs(block, body: body)
    }
}
