import Foundation

/// Small parsers for the parts of a request the runtime reads.
enum RequestParsing {
    /// The parameters of a query string, percent-decoded, with `+` read as a space (the
    /// `application/x-www-form-urlencoded` rules that `URLSearchParams` and Python's `urlencode`
    /// follow). The first occurrence of a name wins.
    static func queryParameters(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]) else { continue }
            let value = parts.count > 1 ? decodeComponent(parts[1]) : ""
            if result[name] == nil, let value { result[name] = value }
        }
        return result
    }

    private static func decodeComponent(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The cookies of a `Cookie` header: `name=value` pairs separated by `;`.
    static func cookies(_ header: String?) -> [String: String] {
        guard let header else { return [:] }
        var result: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            var value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            if result[name] == nil { result[name] = value }
        }
        return result
    }
}
