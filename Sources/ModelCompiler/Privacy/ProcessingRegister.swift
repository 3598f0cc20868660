import Foundation

/// The register of processing: every node holding personal data, with its purpose and retention.
public struct ProcessingRegister: Encodable, Sendable {
    public struct Entry: Encodable, Sendable {
        public var uniqueId: String
        public var resourceType: String
        public var relation: String?
        public var purpose: String
        public var retention: Retention?
        public var personalData: [Column]

        enum CodingKeys: String, CodingKey {
            case purpose, retention, relation
            case uniqueId = "unique_id"
            case resourceType = "resource_type"
            case personalData = "personal_data"
        }
    }

    public struct Retention: Encodable, Sendable {
        public var field: String?
        public var keep: String
    }

    public struct Column: Encodable, Sendable {
        public var column: String
        public var privacy: String
        public var sources: [String]
    }

    public var project: String
    public var generatedAt: String
    public var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case project, entries
        case generatedAt = "generated_at"
    }

    /// The register of `lineage`: nodes holding personal data, sources first, then seeds,
    /// snapshots and models.
    public init(lineage: ProjectLineage, manifest: Manifest, project: String) {
        self.project = project
        generatedAt = lineage.generatedAt
        let rank = ["source": 0, "seed": 1, "snapshot": 2, "model": 3]
        entries = lineage.nodes.values
            .sorted { (rank[$0.resourceType] ?? 9, $0.uniqueId) < (rank[$1.resourceType] ?? 9, $1.uniqueId) }
            .compactMap { node -> Entry? in
                let columns = node.columns.filter { $0.privacyClass > .none }.map { column in
                    Column(
                        column: column.name, privacy: column.privacy,
                        sources: column.piiSources.filter { $0.node != node.uniqueId }.map(\.description))
                }
                guard !columns.isEmpty else { return nil }
                let description: String
                let meta: [String: JSONValue]
                if let model = manifest.nodes[node.uniqueId] {
                    description = model.description
                    meta = model.meta
                } else if let source = manifest.sources[node.uniqueId] {
                    description = source.description.isEmpty ? source.sourceDescription : source.description
                    meta = source.meta
                } else {
                    description = ""
                    meta = [:]
                }
                return Entry(
                    uniqueId: node.uniqueId, resourceType: node.resourceType, relation: node.relationName,
                    purpose: description.trimmingCharacters(in: .whitespacesAndNewlines),
                    retention: Self.retention(meta["retention"]), personalData: columns)
            }
    }

    /// `{field, keep}` or a plain `'7 years'`.
    static func retention(_ value: JSONValue?) -> Retention? {
        guard let value else { return nil }
        if let keep = value.stringValue { return Retention(field: nil, keep: keep) }
        guard let keep = value["keep"]?.stringValue else { return nil }
        return Retention(field: value["field"]?.stringValue, keep: keep)
    }

    /// The register as a Markdown document, a section per node.
    public var markdown: String {
        var lines = [
            "# Register of processing: \(project)", "", "Generated \(generatedAt) from the column lineage.", "",
        ]
        for entry in entries {
            lines.append("## \(entry.uniqueId)")
            lines.append("")
            lines.append("- Relation: " + (entry.relation.map { "`\($0)`" } ?? "none (ephemeral)"))
            lines.append(
                "- Purpose: "
                    + (entry.purpose.isEmpty
                        ? "not documented" : entry.purpose.replacingOccurrences(of: "\n", with: " ")))
            if let retention = entry.retention {
                lines.append("- Retention: \(retention.keep)" + (retention.field.map { " (on `\($0)`)" } ?? ""))
            } else {
                lines.append("- Retention: not documented")
            }
            lines.append("")
            lines.append("| Column | Class | From |")
            lines.append("|---|---|---|")
            for column in entry.personalData {
                let from = column.sources.isEmpty ? "declared here" : column.sources.joined(separator: ", ")
                lines.append("| \(column.column) | \(column.privacy) | \(from) |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
