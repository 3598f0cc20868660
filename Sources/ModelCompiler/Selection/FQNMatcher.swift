/// dbt's `fqn` method (`is_selected_node`): a selector matches a node whose name equals it, or whose
/// fully qualified name (package, folders, name; dots inside parts split further) starts with the
/// selector's dot-separated parts; from the first part with a wildcard on, the rest of the fqn must
/// match the rest of the selector as one pattern. Tried with and without the package.
struct FQNMatcher: Sendable {
    private let selector: String
    private let parts: [String]
    /// Index of the first part with a wildcard, and the pattern made of the parts from there.
    private let wildcard: (index: Int, pattern: GlobPattern)?

    init(_ selector: String) {
        self.selector = selector
        parts = selector.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let index = parts.firstIndex(where: GlobPattern.hasWildcard) {
            wildcard = (index, GlobPattern(parts[index...].joined(separator: ".")))
        } else {
            wildcard = nil
        }
    }

    func matches(_ fqn: [String]) -> Bool {
        guard !fqn.isEmpty else { return false }
        let flat =
            fqn.contains { $0.contains(".") }
            ? fqn.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            : fqn
        return matchesScoped(fqn.last!, flat[...])
            || (fqn.count > 1 && matchesScoped(fqn.last!, flatWithoutPackage(fqn, flat)))
    }

    /// The flattened fqn without the flattened first part (the package).
    private func flatWithoutPackage(_ fqn: [String], _ flat: [String]) -> ArraySlice<String> {
        let packageParts = fqn[0].split(separator: ".", omittingEmptySubsequences: false).count
        return flat.dropFirst(packageParts)
    }

    private func matchesScoped(_ leaf: String, _ flat: ArraySlice<String>) -> Bool {
        if leaf == selector { return true }
        if flat.count < parts.count { return false }
        let limit = wildcard?.index ?? parts.count
        var position = flat.startIndex
        for index in 0..<limit {
            if flat[position] != parts[index] { return false }
            position += 1
        }
        guard let wildcard else { return true }
        return wildcard.pattern.matches(flat[position...].joined(separator: "."))
    }
}
