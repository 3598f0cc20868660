import Foundation
import ModelRunner

/// Stops the test server and removes its folder when the test process ends: at `exit` through
/// `atexit`, and through a detached shell watcher when the process is killed instead.
enum TestServerCleanup {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var servers: [EmbeddedPostgres] = []
        /// Kept alive: Foundation stops watching every child when a running `Process` is freed.
        var watchers: [Process] = []
    }

    private static let state = State()

    static func register(_ server: EmbeddedPostgres) {
        state.lock.lock()
        let first = state.servers.isEmpty
        state.servers.append(server)
        state.lock.unlock()
        if first {
            atexit {
                TestServerCleanup.stopAll()
            }
        }
        startWatcher(for: server)
    }

    static func stopAll() {
        state.lock.lock()
        let servers = state.servers
        state.servers = []
        state.lock.unlock()
        for server in servers {
            _ = try? server.stop()
            try? FileManager.default.removeItem(atPath: server.projectDir)
            if server.usesShortSocketFolder { try? FileManager.default.removeItem(atPath: server.socketFolder) }
        }
    }

    /// A `sh` loop that waits for this process to end, then stops the server (immediate mode)
    /// and removes the folder; a no-op when `atexit` already did.
    private static func startWatcher(for server: EmbeddedPostgres) {
        guard let binaries = try? PostgresBinaries.locate() else { return }
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let asServerUser = geteuid() == 0 ? "runuser -u postgres -- " : ""
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            if [ -f \(quoted(server.dataFolder + "/postmaster.pid")) ]; then \
            \(asServerUser)\(quoted(binaries.pgCtl)) -D \(quoted(server.dataFolder)) -m immediate -w stop; fi
            rm -rf \(quoted(server.projectDir))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return }
        state.lock.lock()
        state.watchers.append(process)
        state.lock.unlock()
    }
}
