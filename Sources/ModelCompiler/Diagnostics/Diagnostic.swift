/// One message of a compile: an error or a warning, where it happened, and what might help.
public struct Diagnostic: Hashable, Sendable, Codable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        case error, warning, note
    }

    /// A secondary message attached to a diagnostic (for example one edge of a cycle).
    public struct Note: Hashable, Sendable, Codable {
        public var message: String
        public var location: SourceLocation?
        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var severity: Severity
    /// A stable identifier such as `ref.unknown` or `template.syntax`.
    public var id: String
    /// Lowercase, no final period.
    public var message: String
    public var location: SourceLocation?
    /// Length of the underlined range in columns (at least 1).
    public var length: Int
    public var notes: [Note]
    /// For example `did you mean 'customers'?`.
    public var hint: String?

    public init(
        _ severity: Severity = .error, id: String, _ message: String, at location: SourceLocation? = nil,
        length: Int = 1, notes: [Note] = [], hint: String? = nil
    ) {
        self.severity = severity
        self.id = id
        self.message = message
        self.location = location
        self.length = max(1, length)
        self.notes = notes
        self.hint = hint
    }

    public static func error(
        _ id: String, _ message: String, at location: SourceLocation? = nil, length: Int = 1,
        notes: [Note] = [], hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, id: id, message, at: location, length: length, notes: notes, hint: hint)
    }

    public static func warning(
        _ id: String, _ message: String, at location: SourceLocation? = nil, length: Int = 1,
        notes: [Note] = [], hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, id: id, message, at: location, length: length, notes: notes, hint: hint)
    }

    /// One line, without the source excerpt: `file:line:col: error: message`.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// Several diagnostics thrown together; a compile collects all of them before failing.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
