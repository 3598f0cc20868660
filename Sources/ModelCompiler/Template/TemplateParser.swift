/// Builds the syntax tree from tokens; collects several syntax errors before giving up.
struct TemplateParser {
    let source: TemplateSource
    var tokens: [Token]
    var index = 0
    var diagnostics: [Diagnostic] = []
    /// How deep inside macro bodies we are (macros are only collected at the top level).
    var macroDepth = 0
    /// Every call of a plain name, for `Template.staticCalls`.
    var callSites: [CallSite] = []
    /// How deep the expression being parsed is nested (parentheses, operators, filters, attributes).
    var expressionDepth = 0
    /// How deep the block being parsed is nested.
    var blockDepth = 0
    /// Set when blocks nest past `TemplateLimits.maximumNesting`: the rest of the template is skipped
    /// and the enclosing blocks report nothing more.
    var abandoned = false
    /// The `{% if %}` branches around the tokens being parsed, outermost first.
    var branchGuards: [BranchGuard] = []

    /// Tags that open a block and the tag that closes it.
    static let blockTags: [String: String] = [
        "if": "endif", "for": "endfor", "macro": "endmacro", "call": "endcall", "filter": "endfilter",
        "docs": "enddocs", "test": "endtest", "snapshot": "endsnapshot",
        "materialization": "endmaterialization",
    ]
    static let closingTags: Set<String> = [
        "endif", "endfor", "endmacro", "endcall", "endfilter", "enddocs", "endtest", "endset", "endsnapshot",
        "endmaterialization", "else", "elif",
    ]

    init(source: TemplateSource, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    var current: Token { tokens[index] }
    var next: Token { index + 1 < tokens.count ? tokens[index + 1] : tokens[tokens.count - 1] }

    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ message: String, at offset: Int, length: Int = 1) -> Diagnostic {
        .error("template.syntax", message, at: source.location(offset), length: length)
    }

    /// Consumes an operator token or fails.
    mutating func expect(_ op: String) throws {
        guard current.is(.op, op) else { throw error("expected '\(op)', got \(current.display)", at: current.offset) }
        _ = advance()
    }

    /// Consumes a name token or fails.
    mutating func expectName(_ what: String = "name") throws -> Token {
        guard current.kind == .name else { throw error("expected \(what), got \(current.display)", at: current.offset) }
        return advance()
    }

    /// Consumes a specific keyword or fails.
    mutating func expectKeyword(_ word: String) throws {
        guard current.is(.name, word) else {
            throw error("expected '\(word)', got \(current.display)", at: current.offset)
        }
        _ = advance()
    }

    mutating func skipOptional(_ op: String) -> Bool {
        if current.is(.op, op) { _ = advance(); return true }
        return false
    }

    /// Consumes the `%}` closing the current tag or fails.
    @discardableResult
    mutating func expectBlockEnd() throws -> Int {
        // Python-style `{% if x: %}` is accepted, like Jinja does
        if current.is(.op, ":"), next.kind == .blockEnd { _ = advance() }
        guard current.kind == .blockEnd else {
            throw error("expected end of tag '%}', got \(current.display)", at: current.offset)
        }
        let token = advance()
        return token.offset + token.value.utf8.count
    }

    /// Skips to just after the end of the current tag (error recovery).
    mutating func skipTag() {
        while current.kind != .blockEnd, current.kind != .variableEnd, current.kind != .eof { _ = advance() }
        if current.kind != .eof { _ = advance() }
    }

    /// Parses the whole template.
    mutating func parseTemplate() -> [Node] {
        let (nodes, _) = parseBody(until: [])
        return nodes
    }

    /// One more level of expression nesting at `offset`, or an error past `TemplateLimits.maximumNesting`;
    /// the caller restores `expressionDepth` when it returns.
    mutating func deeper(at offset: Int) throws {
        expressionDepth += 1
        if expressionDepth > TemplateLimits.maximumNesting {
            throw Diagnostic.error(
                "template.limit", "expression nested too deeply (more than \(TemplateLimits.maximumNesting) levels)",
                at: source.location(offset))
        }
    }

    /// Parses statements until one of `endTags` (left unconsumed: position is on the tag name) or the end.
    /// Returns the end tag found, or nil at end of template.
    mutating func parseBody(until endTags: Set<String>, openedAt: Int? = nil) -> ([Node], String?) {
        blockDepth += 1
        defer { blockDepth -= 1 }
        if abandoned { return ([], nil) }
        // the template itself is level 1: `maximumNesting` blocks may nest inside it
        if blockDepth > TemplateLimits.maximumNesting + 1 {
            // stack safety: stop here, at the block that is one too deep, and skip the rest
            diagnostics.append(
                .error(
                    "template.limit", "blocks nested too deeply (more than \(TemplateLimits.maximumNesting) levels)",
                    at: source.location(openedAt ?? tokens[max(0, index - 1)].offset), length: 2))
            abandoned = true
            index = tokens.count - 1
            return ([], nil)
        }
        var nodes: [Node] = []
        while true {
            let token = current
            switch token.kind {
            case .eof:
                return (nodes, nil)
            case .text:
                nodes.append(.text(token.value, offset: token.offset))
                _ = advance()
            case .variableBegin:
                _ = advance()
                do {
                    let expr = try parseTuple()
                    guard current.kind == .variableEnd else {
                        throw error("expected '}}', got \(current.display)", at: current.offset)
                    }
                    _ = advance()
                    nodes.append(.output(expr))
                } catch let d as Diagnostic {
                    diagnostics.append(d)
                    skipTag()
                } catch {}
            case .blockBegin:
                let tagName = next
                if tagName.kind == .name, endTags.contains(tagName.value) {
                    _ = advance()
                    return (nodes, tagName.value)
                }
                _ = advance()
                if let node = parseStatement(openedAt: token.offset, endTags: endTags) { nodes.append(node) }
            default:
                diagnostics.append(error("unexpected \(token.display)", at: token.offset))
                _ = advance()
            }
        }
    }

    /// Parses one `{% tag ... %}` (positioned after `{%`).
    mutating func parseStatement(openedAt offset: Int, endTags: Set<String>) -> Node? {
        let tag = current
        guard tag.kind == .name else {
            diagnostics.append(error("expected a tag name, got \(tag.display)", at: tag.offset))
            skipTag()
            return nil
        }
        do {
            switch tag.value {
            case "if": return try parseIf(openedAt: offset)
            case "for": return try parseFor(openedAt: offset)
            case "set": return try parseSet(openedAt: offset)
            case "macro": return try parseMacro(openedAt: offset, isTest: false)
            case "test": return try parseMacro(openedAt: offset, isTest: true)
            case "call": return try parseCallBlock(openedAt: offset)
            case "filter": return try parseFilterBlock(openedAt: offset)
            case "do": return try parseDo()
            case "break", "continue":
                _ = advance()
                try expectBlockEnd()
                return tag.value == "break"
                    ? .loopControl(isBreak: true, offset: tag.offset) : .loopControl(isBreak: false, offset: tag.offset)
            case "docs": return try parseDocs(openedAt: offset)
            case "snapshot": return try parseSnapshot(openedAt: offset)
            case "materialization": return try parseMaterialization(openedAt: offset)
            default:
                if Self.closingTags.contains(tag.value) {
                    let expected = endTags.filter { $0.hasPrefix("end") }.sorted()
                    let hint = expected.isEmpty ? "" : ", expected '\(expected.joined(separator: "' or '"))'"
                    throw error("unexpected '\(tag.value)'\(hint)", at: tag.offset, length: tag.value.count)
                }
                throw error("unknown tag '\(tag.value)'", at: tag.offset, length: tag.value.count)
            }
        } catch let d as Diagnostic {
            diagnostics.append(d)
            skipTag()
            // still consume the body of a block whose header failed, so its end tag is not reported too
            if let end = Self.blockTags[tag.value] {
                var endSet: Set<String> = [end]
                if tag.value == "if" { endSet.formUnion(["elif", "else"]) }
                if tag.value == "for" { endSet.insert("else") }
                while true {
                    let (_, found) = parseBody(until: endSet)
                    guard let found else { break }
                    _ = advance()
                    skipTag()
                    if found == end { break }
                }
            }
            return nil
        } catch {
            return nil
        }
    }

    /// Parses a block body up to its end tag (consumed with its `%}`), reporting an unclosed block.
    mutating func parseBlockBody(
        _ tag: String, openedAt offset: Int, until endTags: Set<String>
    ) throws -> ([Node], String) {
        let (body, found) = parseBody(until: endTags, openedAt: offset)
        guard let found else {
            if abandoned { throw CancellationError() }
            let expected = endTags.filter { $0.hasPrefix("end") }.sorted().joined(separator: "' or '")
            throw error("unclosed '\(tag)' block, expected '\(expected)'", at: offset, length: 2)
        }
        _ = advance()  // the end tag name
        return (body, found)
    }
}
