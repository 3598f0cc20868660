/// Relation names PostgreSQL would truncate: refused at compile time, as dbt-postgres does.
///
/// PostgreSQL keeps the first 63 bytes of an identifier (`NAMEDATALEN - 1`) and drops the rest with
/// only a notice, so a 70-byte model name builds once and then fails with "already exists" on every
/// later run (the swap looks for the long name and finds none), and two models whose names share
/// their first 63 bytes silently write to the same table.
extension NodeBuilder {
    /// The longest identifier PostgreSQL keeps whole, in bytes.
    static let maximumIdentifierBytes = 63

    /// Reports relation and schema names over 63 bytes, and models (seeds, snapshots) that would
    /// land on the same relation once PostgreSQL truncates their names.
    mutating func checkRelationNames() {
        var claimed: [String: ManifestNode] = [:]
        for id in nodes.keys.sorted() {
            guard let node = nodes[id], node.relationName != nil,
                node.resourceType == .model || node.resourceType == .seed || node.resourceType == .snapshot
            else { continue }
            let at = SourceLocation(file: node.originalFilePath, line: 1, column: 1)
            for (what, name) in [("relation name", node.alias), ("schema name", node.schema)]
            where name.utf8.count > Self.maximumIdentifierBytes {
                diagnostics.append(
                    .error(
                        "node.identifier_too_long",
                        "\(what) '\(name)' of \(node.resourceType.rawValue) '\(node.name)' is \(name.utf8.count) bytes, "
                            + "longer than PostgreSQL's limit of \(Self.maximumIdentifierBytes)",
                        at: at,
                        hint: what == "relation name"
                            ? "rename the file or set a shorter alias" : "set a shorter schema"))
            }
            let key = Self.truncated(node.schema) + "\u{0}" + Self.truncated(node.alias)
            if let other = claimed[key] {
                diagnostics.append(
                    .error(
                        "node.relation_clash",
                        "\(node.resourceType.rawValue) '\(node.name)' (\(node.originalFilePath)) and \(other.resourceType.rawValue) "
                            + "'\(other.name)' (\(other.originalFilePath)) would both be the relation "
                            + "\"\(Self.truncated(node.schema))\".\"\(Self.truncated(node.alias))\"",
                        at: at,
                        notes: [
                            .init("the other one", at: SourceLocation(file: other.originalFilePath, line: 1, column: 1))
                        ],
                        hint:
                            "PostgreSQL keeps only the first \(Self.maximumIdentifierBytes) bytes of a name: set a distinct alias"
                    ))
            } else {
                claimed[key] = node
            }
        }
    }

    /// The name as PostgreSQL stores it: at most 63 bytes, cut at a character boundary.
    static func truncated(_ name: String) -> String {
        guard name.utf8.count > maximumIdentifierBytes else { return name }
        var out = "", bytes = 0
        for scalar in name.unicodeScalars {
            let size = String(scalar).utf8.count
            if bytes + size > maximumIdentifierBytes { break }
            out.unicodeScalars.append(scalar)
            bytes += size
        }
        return out
    }
}
