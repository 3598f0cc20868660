import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus Pushgateway (Debian's `prometheus-pushgateway`, installed by
/// scripts/install_deps.sh) started on a free loopback port for one test, stopped after it.
final class PushgatewayServer {
    static let binary = "/usr/bin/prometheus-pushgateway"
    let port: Int
    private let process: Process

    /// Nil when the package is not installed (the caller says so).
    static func start() throws -> PushgatewayServer? {
        guard FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = PushgatewayServer(port: port, process: process)
        for _ in 0..<200 {
            if (try? server.get("/-/ready"))?.contains("200 OK") == true { return server }
            usleep(50_000)
        }
        server.stop()
        throw CocoaError(
            .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "pushgateway did not start on port \(port)"])
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// One GET on a closed connection: the whole response, headers included.
    func get(_ path: String) throws -> String {
        try LoopbackHTTP.exchange(port: port, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    }

    /// The gateway's own exposition of everything pushed to it.
    func metrics() throws -> String { try get("/metrics") }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// A port the kernel just gave out on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no free loopback port"])
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
