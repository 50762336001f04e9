import Foundation
import Synchronization

/// The browser client files served from the module's `Resources` folder.
enum BundledResource {
    /// The names served under `/_remote/`.
    static let names: Set<String> = ["client.js", "client.d.ts"]

    /// The content of a file, read once and cached, or `nil` when it is missing.
    static func contents(of name: String) -> [UInt8]? {
        guard names.contains(name) else { return nil }
        return cache.withLock { cache in
            if let bytes = cache[name] { return bytes }
            guard let directory = Bundle.module.url(forResource: "Resources", withExtension: nil),
                let data = try? Data(contentsOf: directory.appendingPathComponent(name))
            else { return nil }
            cache[name] = Array(data)
            return Array(data)
        }
    }

    private static let cache = Mutex<[String: [UInt8]]>([:])
}
