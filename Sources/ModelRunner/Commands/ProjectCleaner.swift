import Foundation
import ModelCompiler

/// `sqlt clean`: deletes the project's `clean-targets` folders; a path that resolves outside the
/// project folder (absolute, `..`, or through a symbolic link) is refused before anything is
/// deleted, as dbt does.
public enum ProjectCleaner {
    /// What one clean did.
    public struct Outcome: Sendable, Equatable {
        public var removed: [String]
        public var missing: [String]

        public init(removed: [String], missing: [String]) {
            self.removed = removed
            self.missing = missing
        }
    }

    /// Checks every target first, then deletes the existing ones.
    public static func clean(targets: [String], projectRoot: URL, declaredAt: SourceLocation?) throws -> Outcome {
        let root = projectRoot.standardizedFileURL.resolvingSymlinksInPath().path
        var resolved: [(String, URL)] = []
        var problems: [Diagnostic] = []
        for target in targets {
            let url = URL(fileURLWithPath: target, relativeTo: URL(fileURLWithPath: root, isDirectory: true))
                .standardizedFileURL
                .resolvingSymlinksInPath()
            let path = url.path
            if path == root || !path.hasPrefix(root + "/") {
                problems.append(
                    .error(
                        "clean.outside",
                        "clean-targets entry '\(target)' is \(path == root ? "the project folder itself" : "outside the project folder") (\(path)); sqlt clean only deletes folders inside the project",
                        at: declaredAt))
                continue
            }
            resolved.append((target, url))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        var outcome = Outcome(removed: [], missing: [])
        for (target, url) in resolved {
            if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
                outcome.removed.append(target)
            } else {
                outcome.missing.append(target)
            }
        }
        return outcome
    }
}
