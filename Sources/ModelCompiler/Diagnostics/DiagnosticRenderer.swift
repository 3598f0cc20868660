/// Prints diagnostics as `path:line:col: error: message`, the source line, a caret underline,
/// then `note:` and `hint:` lines.
public struct DiagnosticRenderer: Sendable {
    /// Returns the text of a file (by the path in its location), or nil when unknown.
    public var sourceText: @Sendable (String) -> String?

    public init(sourceText: @escaping @Sendable (String) -> String?) {
        self.sourceText = sourceText
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = diagnostic.description
        if let location = diagnostic.location, let excerpt = excerpt(location, length: diagnostic.length) {
            out += "\n" + excerpt
        }
        for note in diagnostic.notes {
            if let location = note.location {
                out += "\n\(location): note: \(note.message)"
            } else {
                out += "\nnote: \(note.message)"
            }
        }
        if let hint = diagnostic.hint { out += "\nhint: \(hint)" }
        return out
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    /// The location's source line with a caret (and `~` for `length` characters) under it.
    public func excerpt(_ location: SourceLocation, length: Int) -> String? {
        guard location.cell == nil, let text = sourceText(location.file) else { return nil }
        var lineNumber = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if lineNumber == location.line {
                let shown = line.hasSuffix("\r") ? line.dropLast() : line
                let gutter = String(location.line)
                let pad = String(repeating: " ", count: gutter.count)
                let column = max(1, location.column)
                var prefix = ""
                for (offset, ch) in shown.enumerated() where offset < column - 1 {
                    prefix.append(ch == "\t" ? "\t" : " ")
                }
                let underline = "^" + String(repeating: "~", count: max(0, length - 1))
                return " \(gutter) | \(shown)\n \(pad) | \(prefix)\(underline)"
            }
            lineNumber += 1
        }
        return nil
    }
}

/// Edit distance, for "did you mean" hints.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The closest candidate to `name`, when close enough to be a likely typo.
public func closestMatch(to name: String, in candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(name.lowercased(), candidate.lowercased())
        if distance <= max(2, name.count / 3), best == nil || distance < best!.1 {
            best = (candidate, distance)
        }
    }
    return best?.0
}
