import Foundation

/// Where and how to connect, whichever source it came from (URL, profile, environment, embedded).
public struct ConnectionSettings: Sendable, Equatable {
    /// Host name, or the folder holding the server's unix socket.
    public var host: String?
    public var port: Int?
    public var user: String?
    public var password: String?
    public var dbname: String?
    /// The target schema models are built in.
    public var schema: String
    public var threads: Int?
    public var sslmode: String?
    /// Seconds.
    public var connectTimeout: Int?
    /// Milliseconds; nil for none.
    public var statementTimeout: Int?
    /// Extra libpq `options` (for example `-c search_path=...`).
    public var options: String?
    /// A human description of where these settings came from.
    public var origin: String

    public init(
        host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil, dbname: String? = nil,
        schema: String = "public", threads: Int? = nil, sslmode: String? = nil, connectTimeout: Int? = nil,
        statementTimeout: Int? = nil, options: String? = nil, origin: String = ""
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.dbname = dbname
        self.schema = schema
        self.threads = threads
        self.sslmode = sslmode
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.options = options
        self.origin = origin
    }

    /// libpq keywords and values (never a concatenated conninfo string).
    public var libpqParameters: [(String, String)] {
        var pairs: [(String, String)] = [("application_name", "sqlt"), ("client_encoding", "UTF8")]
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", String(port))) }
        if let user { pairs.append(("user", user)) }
        if let password { pairs.append(("password", password)) }
        if let dbname { pairs.append(("dbname", dbname)) }
        if let sslmode { pairs.append(("sslmode", sslmode)) }
        if let connectTimeout { pairs.append(("connect_timeout", String(connectTimeout))) }
        var options = self.options ?? ""
        if let statementTimeout { options += (options.isEmpty ? "" : " ") + "-c statement_timeout=\(statementTimeout)" }
        if !options.isEmpty { pairs.append(("options", options)) }
        return pairs
    }

    /// `postgresql://user:****@host:port/db`: safe to print.
    public var maskedDescription: String { url(maskPassword: true) }

    /// A `postgresql://` URL for these settings (sockets as `?host=`).
    public func url(maskPassword: Bool = false) -> String {
        func enc(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? s
        }
        var text = "postgresql://"
        if let user {
            text += enc(user)
            if password != nil { text += ":" + (maskPassword ? "****" : enc(password!)) }
            text += "@"
        }
        var query: [String] = []
        if let host, !host.hasPrefix("/") { text += host } else if let host { query.append("host=\(enc(host))") }
        if let port { text += ":\(port)" }
        text += "/" + enc(dbname ?? "")
        if let sslmode { query.append("sslmode=\(sslmode)") }
        if schema != "public" { query.append("schema=\(enc(schema))") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }
}
