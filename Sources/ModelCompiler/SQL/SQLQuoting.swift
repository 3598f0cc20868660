import Foundation

/// Quoting for PostgreSQL: the one place the compiler and the runner quote identifiers and
/// literals.

/// Quotes an identifier for PostgreSQL: the one function sqlt uses for identifiers.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// `"schema"."name"`.
public func qualifiedName(_ schema: String, _ name: String) -> String {
    quoteIdentifier(schema) + "." + quoteIdentifier(name)
}

/// A string literal for the rare places where bind parameters are impossible (DDL such as
/// `COMMENT ON`); everything else uses parameters.
public func quoteLiteral(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
}
