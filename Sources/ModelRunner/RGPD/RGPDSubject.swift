import Foundation
import ModelCompiler

/// A data subject: the key column and its value, as given by `--subject id_salarie=12345`.
public struct RGPDSubject: Sendable, Hashable, CustomStringConvertible {
    /// The key column (for example `id_salarie`).
    public var column: String
    /// The key value in text form; compared after a cast to the column's type.
    public var value: String

    public init(column: String, value: String) {
        self.column = column
        self.value = value
    }

    /// Parses `column=value`; the column must be non-empty and the value present.
    public static func parse(_ text: String) throws(Diagnostic) -> RGPDSubject {
        guard let equals = text.firstIndex(of: "=") else {
            throw Diagnostic.error(
                "rgpd.subject", "invalid subject '\(text)': expected column=value",
                hint: "for example --subject id_salarie=12345")
        }
        let column = text[..<equals].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !column.isEmpty, !value.isEmpty else {
            throw Diagnostic.error(
                "rgpd.subject", "invalid subject '\(text)': column and value must not be empty",
                hint: "for example --subject id_salarie=12345")
        }
        return RGPDSubject(column: column, value: value)
    }

    /// `column=value`.
    public var description: String { "\(column)=\(value)" }
}
