import Foundation
import ModelCompiler

/// `postgresql://` URLs: parsing into `ConnectionSettings` and printing them back.
extension ConnectionSettings {
    /// Parses `postgresql://user:password@host:port/dbname?param=value` (or `postgres://`).
    /// Query parameters: `host` (a socket folder), `port`, `user`, `password`, `dbname`,
    /// `sslmode`, `connect_timeout`, `statement_timeout`, `options`, `keepalives_idle`,
    /// `application_name` (ignored: sqlt always says `sqlt`), and `schema` (a sqlt extension).
    public init(url text: String, origin: String) throws(Diagnostic) {
        self.init(origin: origin)
        let schemes = ["postgresql://", "postgres://"]
        guard let scheme = schemes.first(where: { text.hasPrefix($0) }) else {
            throw Self.urlError("a database url must start with postgresql:// or postgres://", text)
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon], text)
                password = try Self.decode(credentials[credentials.index(after: colon)...], text, secret: true)
            } else {
                user = try Self.decode(credentials, text)
            }
        }
        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        if !hostPart.isEmpty { host = try Self.decode(hostPart, text) }
        if let portPart, !portPart.isEmpty { port = try Self.integer(String(portPart), "port", text) }
        if !path.isEmpty { dbname = try Self.decode(path, text) }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], text)
            let value = parts.count > 1 ? try Self.decode(parts[1], text, secret: key == "password") : ""
            switch key {
            case "host": host = value
            case "port": port = try Self.integer(value, key, text)
            case "user": user = value
            case "password": password = value
            case "dbname": dbname = value
            case "sslmode": sslmode = value
            case "schema": schema = value
            case "options": options = value
            case "connect_timeout": connectTimeout = try Self.integer(value, key, text)
            case "statement_timeout": statementTimeout = try Self.integer(value, key, text)
            case "keepalives_idle": keepalivesIdle = try Self.integer(value, key, text)
            case "application_name": break
            default:
                throw Self.urlError("unknown database url parameter '\(key)'", text)
            }
        }
    }

    /// The settings as a `postgresql://` URL (the password masked as `****` when asked).
    /// A socket folder goes in `?host=`; `schema` is added when it is not `public`.
    public func url(maskingPassword: Bool = false) -> String {
        var text = "postgresql://"
        if let user {
            text += Self.encode(user, allowed: .urlUserAllowed)
            if let password {
                text += ":" + (maskingPassword ? "****" : Self.encode(password, allowed: .urlPasswordAllowed))
            }
            text += "@"
        }
        var query: [(String, String)] = []
        if let host {
            if usesSocket {
                query.append(("host", host))
            } else if host.contains(":") {
                text += "[\(host)]"
            } else {
                text += Self.encode(host, allowed: .urlHostAllowed)
            }
        }
        if let port { text += ":\(port)" }
        if let dbname {
            text += "/" + Self.encode(dbname, allowed: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
        }
        if let sslmode { query.append(("sslmode", sslmode)) }
        if let connectTimeout { query.append(("connect_timeout", String(connectTimeout))) }
        if let statementTimeout { query.append(("statement_timeout", String(statementTimeout))) }
        if let keepalivesIdle { query.append(("keepalives_idle", String(keepalivesIdle))) }
        if let options { query.append(("options", options)) }
        if schema != "public" { query.append(("schema", schema)) }
        if !query.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+#%")
            text += "?" + query.map { "\($0.0)=\(Self.encode($0.1, allowed: allowed))" }.joined(separator: "&")
        }
        return text
    }

    private static func encode(_ value: String, allowed: CharacterSet) -> String {
        value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The percent-decoded text; a password is never echoed in the error.
    private static func decode(_ value: Substring, _ url: String, secret: Bool = false) throws(Diagnostic) -> String {
        guard let decoded = String(value).removingPercentEncoding else {
            throw urlError(
                secret ? "invalid percent-encoding in the password" : "invalid percent-encoding '\(value)'", url)
        }
        return decoded
    }

    private static func integer(_ value: String, _ name: String, _ url: String) throws(Diagnostic) -> Int {
        guard let number = Int(value), number >= 0 else {
            throw urlError("\(name) must be a whole number, not '\(value)'", url)
        }
        return number
    }

    private static func urlError(_ message: String, _ url: String) -> Diagnostic {
        .error("connection.url", message, hint: "for example postgresql://user:password@localhost:5432/dbname")
    }
}
