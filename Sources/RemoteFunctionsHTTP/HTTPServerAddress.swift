/// The address a server is bound to.
public struct HTTPServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bound host, as configured (for example `127.0.0.1`).
    public var host: String
    /// The bound port; never 0 once listening.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
