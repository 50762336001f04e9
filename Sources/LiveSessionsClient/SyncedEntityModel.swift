public import LiveSessionsAPI
public import Observation
import Synchronization

/// A ``SyncedEntity`` as an `@Observable` model for SwiftUI.
///
/// ```swift
/// @State var card = SyncedEntityModel(SyncedEntity(entity: entity, client: client))
/// var body: some View {
///     TextField("Title", text: Binding(get: { card.entity.title }, set: { title in card.edit { $0.title = title } }))
///         .overlay(alignment: .trailing) { if card.isSyncing { ProgressView() } }
///         .task { await card.run() }
/// }
/// ```
@MainActor @Observable
public final class SyncedEntityModel {
    /// The card as the user sees it, pending edits included.
    public private(set) var entity: Entity
    /// The newest version known to be on the server.
    public private(set) var synced: Entity
    /// Whether edits are waiting for the server.
    public private(set) var isSyncing = false
    /// The error of the last edit that failed, or of the watch stream.
    public private(set) var lastError: (any Error)?
    /// The last conflict met, for a discreet "merged with someone else's change" notice.
    public private(set) var lastConflict: SyncConflict?

    /// The synced entity behind the model.
    @ObservationIgnored public nonisolated let source: SyncedEntity

    /// Wraps `source`; call ``run()`` (for example from `.task`) to follow it.
    public init(_ source: SyncedEntity) {
        self.source = source
        let snapshot = source.snapshot
        self.entity = snapshot.entity
        self.synced = snapshot.synced
    }

    /// Starts watching and mirrors every change and conflict until the calling task is
    /// cancelled (SwiftUI cancels `.task` when the view disappears).
    public func run() async {
        await source.startWatching()
        let snapshots = await source.snapshots()
        let conflicts = await source.conflicts()
        let conflictReader = Task { @MainActor [weak self] in
            for await conflict in conflicts {
                self?.lastConflict = conflict
            }
        }
        defer { conflictReader.cancel() }
        for await snapshot in snapshots {
            entity = snapshot.entity
            synced = snapshot.synced
            isSyncing = snapshot.isSyncing
            lastError = snapshot.lastError ?? snapshot.watchError
        }
    }

    /// Applies `mutation` optimistically and sends it in the background.
    public func edit(_ mutation: @escaping SyncedEntity.Mutation) {
        let source = source
        Task { await source.apply(mutation) }
    }
}
