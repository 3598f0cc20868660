import Foundation

/// `postgresql://user:password@host:port/dbname?sslmode=...&host=/socket/dir&schema=...`.
public enum ConnectionURL {
    public static func parse(_ text: String, origin: String) throws -> ConnectionSettings {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgresql" || scheme == "postgres"
        else {
            throw ConnectionError("invalid database URL from \(origin): expected postgresql://user:password@host:port/dbname")
        }
        var settings = ConnectionSettings(origin: origin)
        settings.user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        settings.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if let host = components.percentEncodedHost?.removingPercentEncoding, !host.isEmpty { settings.host = host }
        settings.port = components.port
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        if path.count > 1 { settings.dbname = String(path.dropFirst()) }
        var options: [String] = []
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host": settings.host = value
            case "port": settings.port = Int(value)
            case "user": settings.user = value
            case "password": settings.password = value
            case "dbname": settings.dbname = value
            case "sslmode": settings.sslmode = value
            case "connect_timeout": settings.connectTimeout = Int(value)
            case "schema": settings.schema = value
            case "threads": settings.threads = Int(value)
            case "options": options.append(value)
            case "statement_timeout": settings.statementTimeout = Int(value)
            case "application_name": break
            default:
                throw ConnectionError("unknown parameter '\(item.name)' in the database URL from \(origin)")
            }
        }
        if !options.isEmpty { settings.options = options.joined(separator: " ") }
        return settings
    }
}

/// A problem with connection settings (URL, profile, environment).
public struct ConnectionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
