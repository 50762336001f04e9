public import Foundation

/// Files bundled with the LiveSessions server.
public enum LiveSessionsResources {
    /// The web app's folder (`Public`, copied as a resource), or `nil` when the bundle is missing.
    public static var publicDirectory: URL? {
        Bundle.module.url(forResource: "Public", withExtension: nil)
    }
}
