import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 file server for `sqlt docs serve`: GET and HEAD of the files under one folder,
/// on 127.0.0.1 only, one connection at a time, `Connection: close` after each response.
public final class DocsHTTPServer: @unchecked Sendable {
    public let root: URL
    private let requestedPort: Int
    private let lock = NSLock()
    private var listener: Int32 = -1

    /// A server for the files of `root` on `port` (0 picks a free port).
    public init(root: URL, port: Int) {
        self.root = root.standardizedFileURL
        self.requestedPort = port
    }

    /// Binds and listens on 127.0.0.1; returns the port actually bound.
    public func bind() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DocsServerError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requestedPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DocsServerError("cannot listen on 127.0.0.1:\(requestedPort): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        lock.withLock { listener = fd }
        return Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Accepts and answers connections until `stop()` is called.
    public func serve() {
        while true {
            let fd = lock.withLock { listener }
            guard fd >= 0 else { return }
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    /// Stops accepting connections (safe from another thread).
    public func stop() {
        lock.withLock {
            guard listener >= 0 else { return }
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            listener = -1
        }
    }

    // MARK: - One request

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            request.append(contentsOf: buffer[0..<count])
            if request.count >= 4, request.suffix(from: max(0, request.count - count - 3)).containsHeaderEnd { break }
        }
        let head = String(decoding: request, as: UTF8.self)
        let line = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let response = Self.respond(requestLine: line, root: root)
        send(client, response)
    }

    /// The response bytes for a request line such as `GET /index.html HTTP/1.1`.
    static func respond(requestLine: String, root: URL) -> [UInt8] {
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return status(400, "Bad Request") }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else {
            return status(405, "Method Not Allowed", extra: "Allow: GET, HEAD\r\n")
        }
        guard let file = resolve(target: String(parts[1]), root: root),
            let body = FileManager.default.contents(atPath: file.path)
        else { return status(404, "Not Found") }
        let header =
            "HTTP/1.1 200 OK\r\nContent-Type: \(contentType(file.pathExtension))\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-cache\r\nConnection: close\r\n\r\n"
        return Array(header.utf8) + (method == "HEAD" ? [] : Array(body))
    }

    /// The file a request target names under `root`, or nil when it escapes `root` or is missing.
    static func resolve(target: String, root: URL) -> URL? {
        var path = String(target.prefix { $0 != "?" && $0 != "#" })
        path = path.removingPercentEncoding ?? path
        guard path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        if path.hasSuffix("/") { path += "index.html" }
        let url = root.appendingPathComponent(String(path.dropFirst())).standardizedFileURL
        guard url.path == root.path || url.path.hasPrefix(root.path + "/") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return resolve(target: path + "/", root: root) }
        return url
    }

    static func contentType(_ fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "json": return "application/json"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "png": return "image/png"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }

    static func status(_ code: Int, _ reason: String, extra: String = "") -> [UInt8] {
        let body = "\(code) \(reason)\n"
        return Array(
            "HTTP/1.1 \(code) \(reason)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n\(extra)Connection: close\r\n\r\n\(body)"
                .utf8)
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }
}

/// A failure to start the docs server.
public struct DocsServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension ArraySlice where Element == UInt8 {
    /// Whether the bytes contain `\r\n\r\n`.
    fileprivate var containsHeaderEnd: Bool {
        let bytes = Array(self)
        guard bytes.count >= 4 else { return false }
        for i in 0...(bytes.count - 4)
        where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return true
        }
        return false
    }
}
