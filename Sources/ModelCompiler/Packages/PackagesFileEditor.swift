/// `sqlt deps --add-package`: a new entry added to the text of `packages.yml` (or
/// `dependencies.yml`), replacing the entries dbt would count as the same package, and leaving
/// every other line (comments included) as it was written.
public enum PackagesFileEditor {
    public enum Source: String, Sendable, CaseIterable {
        case hub, git, local
    }

    /// The entry's lines for `name` at `version` (a range as `>=1.0.0,<2.0.0`), indented by `indent`.
    public static func entry(name: String, version: String?, source: Source, indent: String = "  ") -> String {
        let key = source == .hub ? "package" : source.rawValue
        var lines = ["\(indent)- \(key): \(YAMLText.scalar(name))"]
        if let version, source != .local {
            let versionKey = source == .git ? "revision" : "version"
            let parts = version.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count > 1 {
                lines.append("\(indent)  \(versionKey): [\(parts.map { "\"\($0)\"" }.joined(separator: ", "))]")
            } else {
                lines.append("\(indent)  \(versionKey): \(YAMLText.scalar(version))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` (nil when the file does not exist) with the entry added and its duplicates removed;
    /// also what was removed, for messages.
    public static func adding(
        name: String, version: String?, source: Source, to text: String?, file: String
    ) throws(DiagnosticsError) -> (text: String, removed: [String]) {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return ("packages:\n" + entry(name: name, version: version, source: source), [])
        }
        let root = try YAMLNode.parse(text, file: file)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let entries = root.entries, let index = entries.firstIndex(where: { $0.key == "packages" }) else {
            return (
                lines.joined(separator: "\n") + "\npackages:\n" + entry(name: name, version: version, source: source),
                []
            )
        }
        let packagesEntry = entries[index]
        let items = packagesEntry.value.items ?? []
        // Lines are 1-based; the list ends before the next top-level key, or at the end of the file.
        let listEnd = index + 1 < entries.count ? entries[index + 1].keyLocation.line - 1 : lines.count
        if items.isEmpty || items[0].location.line == packagesEntry.keyLocation.line {
            // `packages: []`, `packages:` with nothing, or a flow list: the key's line is written again, block style.
            let kept = items.filter { !isDuplicate($0, of: name) }
            var block = kept.map { "  - " + PythonJSON.dumps($0.json) }.joined(separator: "\n")
            if !block.isEmpty { block += "\n" }
            let removed = items.filter { isDuplicate($0, of: name) }.map(identifier)
            var head = Array(lines[..<(packagesEntry.keyLocation.line - 1)])
            head.append("packages:")
            let tail = Array(lines[packagesEntry.keyLocation.line...])
            let body = head.joined(separator: "\n") + "\n" + block + entry(name: name, version: version, source: source)
            return (body + (tail.isEmpty ? "" : tail.joined(separator: "\n") + "\n"), removed.compactMap { $0 })
        }
        let dashColumn = max(1, items[0].location.column - 2)
        let indent = String(repeating: " ", count: dashColumn - 1)
        var removed: [String] = []
        var drop = Set<Int>()
        for (position, item) in items.enumerated() where isDuplicate(item, of: name) {
            let end = position + 1 < items.count ? items[position + 1].location.line - 1 : listEnd
            for line in item.location.line...max(item.location.line, end) { drop.insert(line) }
            if let id = identifier(item) { removed.append(id) }
        }
        var insertAt = listEnd
        while insertAt > packagesEntry.keyLocation.line,
            lines[insertAt - 1].trimmingCharacters(in: .whitespaces).isEmpty
        { insertAt -= 1 }
        var output: [String] = []
        for (offset, line) in lines.enumerated() {
            if !drop.contains(offset + 1) { output.append(line) }
            if offset + 1 == insertAt {
                output.append(
                    contentsOf: entry(name: name, version: version, source: source, indent: indent).split(
                        separator: "\n"
                    ).map(String.init))
            }
        }
        return (output.joined(separator: "\n") + "\n", removed)
    }

    /// The value that names an entry: its `package`, `git`, `local`, `tarball` or `private`.
    static func identifier(_ item: YAMLNode) -> String? {
        for key in ["package", "git", "local", "tarball", "private"] {
            if let value = item[key]?.string { return value }
        }
        return nil
    }

    /// dbt's duplicate rule for `--add-package`: the name, with `_` or `-`, or its part after the
    /// last `/`, found in the entry's identifier between word boundaries (`/`, `.`, the ends).
    static func isDuplicate(_ item: YAMLNode, of name: String) -> Bool {
        guard let id = identifier(item) else { return false }
        var variants: Set<String> = [
            name, name.replacingOccurrences(of: "_", with: "-"), name.replacingOccurrences(of: "-", with: "_"),
        ]
        if let short = name.split(separator: "/").last.map(String.init), name.contains("/") {
            variants.formUnion([
                short, short.replacingOccurrences(of: "_", with: "-"), short.replacingOccurrences(of: "-", with: "_"),
            ])
        }
        for variant in variants where !variant.isEmpty {
            guard let range = id.range(of: variant) else { continue }
            let startOK = range.lowerBound == id.startIndex || "/.".contains(id[id.index(before: range.lowerBound)])
            let endOK = range.upperBound == id.endIndex || "/.".contains(id[range.upperBound])
            if startOK && endOK { return true }
        }
        return false
    }
}
