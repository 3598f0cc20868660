import ModelCompiler

/// dbt accepts its global flags before the subcommand (`dbt --log-format json build`) as well as
/// after it. swift-argument-parser reads a subcommand's options after its name only, so the
/// global flags found before the first subcommand word are moved to the end of the arguments.
enum GlobalFlagOrder {
    /// Global options that take a value (the next argument unless written `--name=value`).
    static let valued: Set<String> = [
        "--project-dir", "--profiles-dir", "--target", "-t", "--profile", "--vars", "--threads", "--database-url",
        "--target-path", "--log-path", "--log-format", "--log-level",
    ]
    /// Global flags without a value.
    static let flags: Set<String> = [
        "--quiet", "-q", "--debug", "-d", "--use-colors", "--no-use-colors", "--partial-parse", "--no-partial-parse",
        "--version-check", "--no-version-check", "--print", "--no-print",
    ]

    /// dbt's `invocation_command` (run_results' `args`): `sqlt` and the arguments as given, the
    /// value of `--database-url` (which may hold a password, percent-encoded or not) masked.
    static func invocationCommand(_ arguments: [String]) -> String {
        var words = ["sqlt"]
        var maskNext = false
        for argument in arguments {
            if maskNext {
                words.append(SecretEnvVars.mask)
                maskNext = false
            } else if argument == "--database-url" {
                words.append(argument)
                maskNext = true
            } else if argument.hasPrefix("--database-url=") {
                words.append("--database-url=" + SecretEnvVars.mask)
            } else {
                words.append(argument)
            }
        }
        return words.joined(separator: " ")
    }

    /// The arguments with leading global flags moved after the subcommand words.
    static func normalized(_ arguments: [String]) -> [String] {
        var moved: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) {
                moved.append(argument)
                index += 1
            } else if valued.contains(name) {
                moved.append(argument)
                if !argument.contains("="), index + 1 < arguments.count {
                    moved.append(arguments[index + 1])
                    index += 1
                }
                index += 1
            } else {
                break
            }
        }
        guard !moved.isEmpty, index < arguments.count else { return arguments }
        return Array(arguments[index...]) + moved
    }
}
