/// dbt's `path:` method without the disk: the selector is a glob relative to the project root
/// (`*` within a segment, `**` across folders) and selects the files it names and everything under
/// the folders it names; a node also matches through the property file that patched it.
struct PathMatcher: Sendable {
    private let segments: [String]
    private let patterns: [GlobPattern]

    init(_ selector: String) {
        var path = selector.replacingOccurrences(of: "\\", with: "/")
        while path.hasPrefix("./") { path.removeFirst(2) }
        segments = path.split(separator: "/").map(String.init).filter { $0 != "." }
        patterns = segments.map(GlobPattern.init)
    }

    func select(in context: SelectionContext) -> [Int] {
        context.all { target in
            if matchesFileOrFolder(of: target.originalFilePath) { return true }
            if let patch = target.patchFilePath, matchesPath(patch.split(separator: "/").map(String.init)) {
                return true
            }
            return false
        }
    }

    /// The file itself or any folder above it.
    private func matchesFileOrFolder(of file: String) -> Bool {
        if segments.isEmpty { return true }
        let parts = file.split(separator: "/").map(String.init)
        guard !parts.isEmpty else { return false }
        for length in stride(from: parts.count, through: 1, by: -1) where matchesPath(Array(parts[0..<length])) {
            return true
        }
        return false
    }

    private func matchesPath(_ parts: [String]) -> Bool {
        matches(patternIndex: 0, parts: parts[...])
    }

    private func matches(patternIndex: Int, parts: ArraySlice<String>) -> Bool {
        if patternIndex == segments.count { return parts.isEmpty }
        if segments[patternIndex] == "**" {
            // Zero or more whole folders.
            var rest = parts
            while true {
                if matches(patternIndex: patternIndex + 1, parts: rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let first = parts.first, patterns[patternIndex].matches(first) else { return false }
        return matches(patternIndex: patternIndex + 1, parts: parts.dropFirst())
    }
}
