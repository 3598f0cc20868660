import ArgumentParser
import Foundation

/// `sqlt`'s entry point (run by `main.swift`): global flags accepted before the subcommand, dbt's first and last
/// events (`MainReportVersion`, `CommandCompleted`) around the command, then the exit code: the one
/// place a command's error is printed and mapped (`ErrorReporting`); commands only throw.
enum SqltMain {
    static func main() async {
        let arguments = GlobalFlagOrder.normalized(Array(CommandLine.arguments.dropFirst()))
        var command: ParsableCommand
        do {
            command = try Sqlt.parseAsRoot(arguments)
        } catch {
            Sqlt.exit(withError: error)
        }
        let path = commandPath(of: type(of: command))
        let name = path.joined(separator: " ")
        invocation = (path.last ?? "sqlt", GlobalFlagOrder.invocationCommand(Array(CommandLine.arguments.dropFirst())))
        Console.begin()
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Console.completed(command: name, success: true)
            Sqlt.exit()
        } catch let error where error is ValidationError || error is CleanExit {
            // swift-argument-parser's own: usage or help, its exit code
            Console.completed(command: name, success: false)
            Sqlt.exit(withError: error)
        } catch {
            // every other error is printed here alone, then becomes the exit code
            let exit = ErrorReporting.report(error, projectRoot: (command as? any ProjectCommand)?.global.projectURL)
            Console.completed(command: name, success: exit.rawValue == 0)
            Sqlt.exit(withError: exit)
        }
    }

    /// dbt's `which` (the command's last word) and `invocation_command` of this process, for
    /// templates and run_results; set once in `main` before the command runs, read after.
    nonisolated(unsafe) static var invocation = (which: "run", command: "sqlt run")

    /// The names from the root to `command`, as dbt's `CommandCompleted` gives them: `sqlt source
    /// freshness`, `sqlt docs generate` (not the leaf alone); `["sqlt"]` for the root.
    static func commandPath(of command: ParsableCommand.Type) -> [String] {
        path(to: command, from: Sqlt.self) ?? ["sqlt"]
    }

    private static func path(to command: ParsableCommand.Type, from node: ParsableCommand.Type) -> [String]? {
        let name = node.configuration.commandName ?? "sqlt"
        if ObjectIdentifier(command) == ObjectIdentifier(node) { return [name] }
        for child in node.configuration.subcommands {
            if let rest = path(to: command, from: child) { return [name] + rest }
        }
        return nil
    }
}
