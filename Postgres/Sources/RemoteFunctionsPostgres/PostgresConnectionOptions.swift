/// How to reach the server and how each connection is set up.
public struct PostgresConnectionOptions: Sendable, Hashable {
    /// A libpq connection string: a URL such as `postgres://user@host:5432/database` or
    /// `key=value` pairs. Its parameters win over the defaults below.
    public var url: String
    /// Reported in `pg_stat_activity.application_name` unless the URL sets one.
    public var applicationName: String
    /// How long opening a connection may take, in whole seconds (libpq's `connect_timeout`).
    public var connectTimeoutSeconds: Int
    /// TCP keep-alive: idle seconds before the first probe. With the interval and count below
    /// a silently vanished server is noticed after about `idle + interval × count` seconds.
    public var keepaliveIdleSeconds: Int
    /// TCP keep-alive: seconds between probes.
    public var keepaliveIntervalSeconds: Int
    /// TCP keep-alive: unanswered probes before the connection counts as broken.
    public var keepaliveCount: Int
    /// The most prepared statements kept per connection; past it the cache starts over
    /// (`DEALLOCATE ALL`).
    public var statementCacheLimit: Int

    /// Creates options for `url` with defaults fit for a server: a 5 s connect timeout and TCP
    /// keep-alive probes after 10 s idle, every 2 s, 3 times.
    public init(
        url: String, applicationName: String = "remote-functions", connectTimeoutSeconds: Int = 5,
        keepaliveIdleSeconds: Int = 10, keepaliveIntervalSeconds: Int = 2, keepaliveCount: Int = 3,
        statementCacheLimit: Int = 256
    ) {
        self.url = url
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.keepaliveIdleSeconds = keepaliveIdleSeconds
        self.keepaliveIntervalSeconds = keepaliveIntervalSeconds
        self.keepaliveCount = keepaliveCount
        self.statementCacheLimit = statementCacheLimit
    }

    /// libpq keywords and values for `PQconnectdbParams`: our defaults first, the URL last, so
    /// that the URL's own parameters override them.
    var connectionParameters: [(String, String)] {
        [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName),
            ("client_encoding", "UTF8"),
            ("keepalives", "1"),
            ("keepalives_idle", String(keepaliveIdleSeconds)),
            ("keepalives_interval", String(keepaliveIntervalSeconds)),
            ("keepalives_count", String(keepaliveCount)),
            ("dbname", url),
        ]
    }
}
