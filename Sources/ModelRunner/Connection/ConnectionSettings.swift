import Foundation

/// Everything needed to open a connection to PostgreSQL, plus where it came from.
public struct ConnectionSettings: Sendable, Equatable {
    /// A hostname, an IP address, or (starting with `/`) a unix-socket folder; nil is libpq's default.
    public var host: String?
    /// The TCP port (also the suffix of the socket file name); nil is libpq's default.
    public var port: Int?
    /// The role to connect as; nil is libpq's default (the operating-system user).
    public var user: String?
    /// The password; never printed.
    public var password: String?
    /// The database; nil is libpq's default (the user name).
    public var dbname: String?
    /// The schema models are built in (the profile's `schema:`).
    public var schema: String
    /// How many models to build at once.
    public var threads: Int
    /// libpq `sslmode` (disable, allow, prefer, require, verify-ca, verify-full).
    public var sslmode: String?
    /// Seconds libpq waits for a connection (libpq `connect_timeout`).
    public var connectTimeout: Int?
    /// Milliseconds after which the server cancels a statement (`statement_timeout`).
    public var statementTimeout: Int?
    /// Extra server options, as libpq's `options` (for example `-c work_mem=64MB`).
    public var options: String?
    /// Seconds of inactivity before TCP keepalives start (libpq `keepalives_idle`).
    public var keepalivesIdle: Int?
    /// A human description of where these settings came from, for `sqlt debug` and errors.
    public var origin: String

    /// Settings with libpq defaults for everything not given.
    public init(
        host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil,
        dbname: String? = nil, schema: String = "public", threads: Int = 1, sslmode: String? = nil,
        connectTimeout: Int? = nil, statementTimeout: Int? = nil, options: String? = nil,
        keepalivesIdle: Int? = nil, origin: String = "explicit settings"
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
        self.keepalivesIdle = keepalivesIdle
        self.origin = origin
    }

    /// True when `host` names a unix-socket folder rather than a network host.
    public var usesSocket: Bool { host?.hasPrefix("/") ?? false }

    /// The libpq connection keywords and values (password included), in a stable order.
    /// `application_name` is always `sqlt`; `statementTimeout` is passed in `options`.
    public var libpqParameters: [(keyword: String, value: String)] {
        var parameters: [(keyword: String, value: String)] = []
        func add(_ keyword: String, _ value: String?) {
            if let value, !value.isEmpty { parameters.append((keyword, value)) }
        }
        add("host", host)
        add("port", port.map(String.init))
        add("user", user)
        add("password", password)
        add("dbname", dbname)
        add("sslmode", sslmode)
        add("connect_timeout", connectTimeout.map(String.init))
        add("keepalives_idle", keepalivesIdle.map(String.init))
        var serverOptions: [String] = []
        if let options, !options.isEmpty { serverOptions.append(options) }
        if let statementTimeout { serverOptions.append("-c statement_timeout=\(statementTimeout)") }
        add("options", serverOptions.isEmpty ? nil : serverOptions.joined(separator: " "))
        add("application_name", "sqlt")
        add("client_encoding", "UTF8")
        return parameters
    }

    /// A description safe to print: `postgresql://user:****@host:port/db` (password masked).
    public var maskedDescription: String {
        url(maskingPassword: true)
    }
}
