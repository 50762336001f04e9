/// Something that contributes lines to the server's `/metrics` page (Prometheus text format).
///
/// The runtime, the HTTP transport and live queries each keep their own counters; the server
/// concatenates every source's text when `/metrics` is scraped.
public protocol MetricsSource: Sendable {
    /// The source's metrics in Prometheus text exposition format, `# HELP` and `# TYPE` lines
    /// included, each line ending with `\n`.
    func prometheusText() -> String
}
