import Foundation

/// A data test's `error_if` / `warn_if` condition, such as `!=0`, `>10`, `>=5`, `<3`, `=0`:
/// one comparison operator and an integer. Parsed and validated, never spliced as text.
public struct TestThreshold: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case notEqual = "!=", notEqualSQL = "<>", greaterOrEqual = ">=", lessOrEqual = "<="
        case greater = ">", less = "<", equal = "=", doubleEqual = "=="
    }

    public let comparison: Operator
    public let value: Int

    public init(_ comparison: Operator, _ value: Int) {
        self.comparison = comparison
        self.value = value
    }

    /// dbt's default: `!=0`.
    public static let nonZero = TestThreshold(.notEqual, 0)

    /// Parses `>10`, `!= 0`, `>=5`...; nil when the text is anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Longest operators first so `>=` is not read as `>`.
        let operators = Operator.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        guard let found = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) else { return nil }
        let number = trimmed.dropFirst(found.rawValue.count).trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int(number) else { return nil }
        self.init(found, value)
    }

    /// The operator as PostgreSQL writes it.
    var sqlOperator: String {
        switch comparison {
        case .notEqual, .notEqualSQL: return "!="
        case .equal, .doubleEqual: return "="
        default: return comparison.rawValue
        }
    }

    /// `<expression> != 0` for the test query.
    public func sql(applyingTo expression: String) -> String { "\(expression) \(sqlOperator) \(value)" }

    /// Whether a failure count meets the condition.
    public func matches(_ failures: Int) -> Bool {
        switch comparison {
        case .notEqual, .notEqualSQL: return failures != value
        case .equal, .doubleEqual: return failures == value
        case .greater: return failures > value
        case .greaterOrEqual: return failures >= value
        case .less: return failures < value
        case .lessOrEqual: return failures <= value
        }
    }

    /// As dbt prints it: `!= 0`.
    public var description: String { "\(sqlOperator) \(value)" }
}
