import Foundation
import ModelCompiler

/// The project's `on-run-start` / `on-run-end` hooks (already rendered), run in order on one
/// session and reported as dbt does: `Running 1 on-run-start hook`, then
/// `1 of 1 OK hook: shop.on-run-start.0 [SELECT 1 in 0.01s]`. Runs use them, and so does
/// `source freshness` (dbt 1.11's `flags.source_freshness_run_project_hooks`, on by default).
public enum ProjectHooks {
    /// Runs the non-blank `hooks`; the first that fails stops them and is thrown.
    public static func run(
        _ hooks: [String], kind: String, projectName: String, session: any DatabaseSession,
        reporter: any RunReporter
    ) throws(DatabaseError) {
        let hooks = hooks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !hooks.isEmpty else { return }
        reporter.note("Running \(hooks.count) \(kind) hook\(hooks.count == 1 ? "" : "s")")
        for (index, hook) in hooks.enumerated() {
            let started = Date()
            let result = try session.executeScript(hook)
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            reporter.note(
                "\(index + 1) of \(hooks.count) OK hook: \(projectName).\(kind).\(index) [\(result.commandTag.isEmpty ? "OK" : result.commandTag) in \(seconds)s]"
            )
        }
    }
}
