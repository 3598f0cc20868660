import Foundation
import ModelCompiler

/// Renders the `{{ env_var('NAME') }}` / `{{ env_var('NAME', 'default') }}` calls dbt allows in
/// `profiles.yml` values (an optional `| int` or `| as_number` filter is accepted and ignored).
struct EnvVarRenderer: Sendable {
    let environment: [String: String]

    // swift-format-ignore: NeverUseForceTry
    // (a constant pattern: it cannot fail)
    private static let pattern = try! NSRegularExpression(
        pattern:
            #"\{\{\s*env_var\(\s*(['"])(.*?)\1\s*(?:,\s*(['"])(.*?)\3\s*)?\)\s*(?:\|\s*(?:int|as_number|as_text|string)\s*)?\}\}"#
    )

    /// The value with every `env_var` call replaced; other `{{ }}` expressions are an error.
    func render(_ value: String, at location: SourceLocation?) throws(Diagnostic) -> String {
        guard value.contains("{{") else { return value }
        if Self.leftoverExpression(in: value) {
            throw Diagnostic.error(
                "profiles.template",
                "only {{ env_var('NAME') }} and {{ env_var('NAME', 'default') }} are supported in profiles.yml",
                at: location)
        }
        let source = value as NSString
        var output = ""
        var cursor = 0
        for match in Self.pattern.matches(in: value, range: NSRange(location: 0, length: source.length)) {
            output += source.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            let name = source.substring(with: match.range(at: 2))
            if let found = environment[name] {
                output += found
            } else if match.range(at: 4).location != NSNotFound {
                output += source.substring(with: match.range(at: 4))
            } else {
                throw Diagnostic.error(
                    "profiles.env_var", "environment variable '\(name)' is not set and env_var gives no default",
                    at: location, hint: "set \(name) or write {{ env_var('\(name)', 'default') }}")
            }
            cursor = match.range.location + match.range.length
        }
        output += source.substring(from: cursor)
        return output
    }

    /// True when `value` holds a `{{ ... }}` that is not an `env_var` call.
    private static func leftoverExpression(in value: String) -> Bool {
        let stripped = pattern.stringByReplacingMatches(
            in: value, range: NSRange(location: 0, length: (value as NSString).length), withTemplate: "")
        return stripped.contains("{{")
    }
}
