import Foundation

/// The personal-data rules `sqlt privacy check` enforces on every model column, from the project's lineage.
///
/// (a) Declaration: a column whose data comes with personal data of class C from its inputs (the class
///     computed from seed/source `meta.pii`, through masking functions, before the column's own
///     declaration) must declare `meta.pii` of class C or above in its property file.
/// (b) Allow list: when the model has `meta.privacy.allow` (model `meta` or `config.meta`), every column
///     whose computed class is above none must have its class in that list.
public enum PrivacyAudit {
    /// Which rule a finding breaks.
    public enum Rule: String, Codable, Sendable {
        /// The property file does not declare the column's class (or a higher one).
        case undeclared
        /// The class is not in the model's `meta.privacy.allow`.
        case notAllowed = "not_allowed"
    }

    /// One column breaking one rule.
    public struct Finding: Codable, Sendable, Hashable {
        public var model: String
        public var column: String
        public var rule: Rule
        /// The class computed for the column (from its inputs for `undeclared`, overall for `notAllowed`).
        public var privacyClass: PrivacyClass
        /// The column's own `meta.pii`, if any.
        public var declared: String?
        /// The model's allowed classes, when it has a list.
        public var allowed: [PrivacyClass]?
        /// The seed or source columns the data comes from.
        public var sources: [ColumnReference]
        /// The property file line of the column (or of the model when the column is not declared).
        public var location: SourceLocation?

        /// Lowercase, no final period.
        public var message: String {
            let name = model.split(separator: ".").last.map(String.init) ?? model
            let origin = sources.isEmpty ? "" : " (from \(sources.map(\.description).joined(separator: ", ")))"
            switch rule {
            case .undeclared:
                let have = declared.map { "declares meta.pii: \($0)" } ?? "declares no meta.pii"
                return
                    "column \(column) of \(name) holds \(privacyClass.rawValue) personal data\(origin) but its property file \(have)"
            case .notAllowed:
                let list = (allowed ?? []).map(\.rawValue).joined(separator: ", ")
                return
                    "column \(column) of \(name) holds \(privacyClass.rawValue) personal data\(origin), not in its privacy allow list [\(list)]"
            }
        }
    }

    /// The allowed classes of a model (`meta.privacy.allow`), nil when it has no list.
    public static func allowList(_ node: ManifestNode) -> [PrivacyClass]? {
        let privacy = node.meta["privacy"] ?? node.config["meta"]?["privacy"]
        guard let list = privacy?["allow"]?.arrayValue else { return nil }
        return list.compactMap { $0.stringValue.flatMap { PrivacyClass(pii: $0) } }
    }

    /// Every finding, sorted by model then column; `fileSystem` is used to locate columns in property files.
    public static func check(
        _ lineage: ProjectLineage, manifest: Manifest, fileSystem: (any ProjectFileSystem)?
    ) -> [Finding] {
        var findings: [Finding] = []
        for (id, entry) in lineage.nodes.sorted(by: { $0.key < $1.key })
        where entry.resourceType == "model" || entry.resourceType == "snapshot" {
            guard let node = manifest.nodes[id] else { continue }
            let allowed = allowList(node)
            let locator = PropertyFileLocator(node: node, fileSystem: fileSystem)
            for column in entry.columns {
                let inherited = PrivacyClass(pii: column.inherited) ?? .none
                let declared = column.declared.flatMap { PrivacyClass(pii: $0) }
                if inherited > .none, (declared ?? .none) < inherited {
                    findings.append(
                        Finding(
                            model: id, column: column.name, rule: .undeclared, privacyClass: inherited,
                            declared: column.declared, allowed: allowed, sources: column.piiSources,
                            location: locator.location(of: column.name)))
                }
                let computed = column.privacyClass
                if let allowed, computed > .none, !allowed.contains(computed) {
                    findings.append(
                        Finding(
                            model: id, column: column.name, rule: .notAllowed, privacyClass: computed,
                            declared: column.declared, allowed: allowed, sources: column.piiSources,
                            location: locator.location(of: column.name)))
                }
            }
        }
        return findings
    }
}

/// Finds the line of a model's column in its property file (`- name: column` under the model's entry).
struct PropertyFileLocator {
    let file: String?
    let lines: [Substring]
    let modelLine: Int?
    let fallback: SourceLocation?

    init(node: ManifestNode, fileSystem: (any ProjectFileSystem)?) {
        let declared = node.declaredAt
        let file = node.patchPath.map { path in
            path.range(of: "://").map { String(path[$0.upperBound...]) } ?? path
        }
        self.file = file
        fallback = declared ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        if let file, let fileSystem, let text = try? fileSystem.read(file) {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            modelLine = declared?.file == file ? declared?.line : Self.entryLine(node.name, in: lines, from: 0)
        } else {
            lines = []
            modelLine = nil
        }
    }

    /// The 1-based line of `- name: <name>` at or after `from` (0-based).
    static func entryLine(_ name: String, in lines: [Substring], from: Int) -> Int? {
        var index = from
        while index < lines.count {
            if entryName(lines[index]) == name { return index + 1 }
            index += 1
        }
        return nil
    }

    /// The name of a `- name: x` line, unquoted.
    static func entryName(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("- name:") else { return nil }
        var value = trimmed.dropFirst("- name:".count).trimmingCharacters(in: .whitespaces)
        if let hash = value.range(of: " #") { value = String(value[..<hash.lowerBound]) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
    }

    static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    func location(of column: String) -> SourceLocation? {
        guard let file, let modelLine, modelLine <= lines.count else { return fallback }
        let modelIndent = Self.indent(lines[modelLine - 1])
        var index = modelLine
        while index < lines.count {
            let line = lines[index]
            if Self.entryName(line) != nil, Self.indent(line) <= modelIndent { break }
            if Self.entryName(line) == column {
                return SourceLocation(file: file, line: index + 1, column: Self.indent(line) + 1)
            }
            index += 1
        }
        return SourceLocation(file: file, line: modelLine, column: modelIndent + 1)
    }
}
