import Foundation

/// Runs the PostgreSQL programs, as the `postgres` system user when sqlt runs as root
/// (PostgreSQL refuses to run as root).
struct ServerProcess: Sendable {
    /// The system user to switch to, when running as root.
    let runAsUser: String?

    /// The user for this process: `postgres` when root, else nobody to switch to.
    static func current() -> ServerProcess {
        ServerProcess(runAsUser: geteuid() == 0 ? "postgres" : nil)
    }

    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments` in `folder`, waiting for it; output and errors together.
    func run(_ executable: String, _ arguments: [String], in folder: String) throws(EmbeddedPostgresError) -> Outcome {
        var launch = executable
        var launchArguments = arguments
        if let runAsUser {
            guard
                let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
                    .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                throw EmbeddedPostgresError(
                    "running as root needs runuser to start PostgreSQL as the \(runAsUser) user")
            }
            launch = runuser
            launchArguments = ["-u", runAsUser, "--", executable] + arguments
        }
        let outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("sqlt-\(getpid())-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let status = try spawnAndWait(launch, launchArguments, in: folder, output: outputURL.path)
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        return Outcome(status: status, output: text)
    }

    /// `posix_spawn` and `waitpid` rather than `Foundation.Process`: `pg_ctl start` leaves the
    /// server running with every inherited descriptor, and Process watches a descriptor it
    /// gives the child to see it end, so it would wait for the server. Here the child gets
    /// only standard input (/dev/null), output and errors (a file); every other descriptor closes.
    private func spawnAndWait(
        _ executable: String, _ arguments: [String], in folder: String, output: String
    ) throws(EmbeddedPostgresError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        Self.addChangeDirectory(&actions, folder)
        Self.addCloseOtherDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGINT)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGPIPE)
        sigaddset(&defaultSignals, SIGCHLD)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["LC_MESSAGES"] = "C"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedPostgresError("could not run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR {
                throw EmbeddedPostgresError("could not wait for \(executable): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift does not import.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ folder: String) {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return
        }
        _ = unsafeBitCast(symbol, to: AddChdir.self)(&actions, folder)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+); else closes each descriptor
    /// listed in /proc/self/fd.
    private static func addCloseOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddClosefrom.self)(&actions, 3)
            return
        }
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap {
            Int32($0)
        }
        for descriptor in open where descriptor > 2 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Gives the server's user ownership of `path` (and, when `recursive`, of everything in it)
    /// when running as root.
    func takeOwnership(of path: String, recursive: Bool = false) throws(EmbeddedPostgresError) {
        guard let runAsUser else { return }
        guard let entry = getpwnam(runAsUser) else {
            throw EmbeddedPostgresError(
                "running as root needs a '\(runAsUser)' system user to run PostgreSQL (apt-get install -y postgresql creates it)"
            )
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        var paths = [path]
        if recursive, let enumerator = FileManager.default.enumerator(atPath: path) {
            while let item = enumerator.nextObject() as? String { paths.append(path + "/" + item) }
        }
        for item in paths where lchown(item, uid, gid) != 0 {
            throw EmbeddedPostgresError(
                "could not give \(item) to the \(runAsUser) user: \(String(cString: strerror(errno)))")
        }
    }

    /// Lets the server's user pass through every folder above `path` (adds the search bit for
    /// others where it is missing) when running as root.
    func makeTraversable(_ path: String) throws(EmbeddedPostgresError) {
        guard runAsUser != nil else { return }
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            var info = stat()
            if stat(folder.path, &info) == 0, info.st_mode & S_IXOTH == 0 {
                if chmod(folder.path, (info.st_mode & 0o7777) | S_IXOTH) != 0 {
                    throw EmbeddedPostgresError(
                        "could not make \(folder.path) traversable for the PostgreSQL server user: \(String(cString: strerror(errno)))"
                    )
                }
            }
            folder = folder.deletingLastPathComponent()
        }
    }
}
