import Foundation
import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsClient
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("Durability of the real live-sessions server", .serialized)
struct LiveSessionsDurabilityTests {
    @Test(
        "acknowledged commands survive kill -9 of the server and a restart on the same data",
        .enabled(if: ServerProcess.binary != nil, "build the live-sessions executable first (swift build)"))
    func survivesKill() async throws {
        let binary = try #require(ServerProcess.binary)
        let data = try TemporaryDirectory()
        defer { data.remove() }
        let arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data", data.path]

        let first = try await ServerProcess.start(binary: binary, arguments: arguments)
        let written: (Session, Participant, Entity)
        do {
            let client = RemoteClient(baseURL: first.baseURL)
            let session = try await client.call(LiveSessionsFunctions.createSession, .init(name: "Durable"))
            let participant = try await client.call(
                LiveSessionsFunctions.joinParticipant, .init(sessionCode: session.code, name: "Ada"))
            let entity = try await client.call(
                LiveSessionsFunctions.createEntity, .init(sessionCode: session.code, title: "Card"))
            let update = try await client.call(
                LiveSessionsFunctions.updateEntity,
                .init(entityID: entity.id, changes: .init(notes: "acknowledged"), baseVersion: 1))
            written = (session, participant, update.entity)
        } catch {
            await first.killIfRunning()
            throw error
        }
        let status = await first.stop(signal: SIGKILL)
        #expect(status == SIGKILL)

        let second = try await ServerProcess.start(binary: binary, arguments: arguments)
        do {
            let client = RemoteClient(baseURL: second.baseURL)
            let entities = try await client.call(
                LiveSessionsFunctions.listEntities, .init(sessionCode: written.0.code))
            #expect(entities == [written.2])
            #expect(entities.first?.notes == "acknowledged" && entities.first?.version == 2)
            let page = try await client.call(
                LiveSessionsFunctions.participantsPage, .init(sessionCode: written.0.code, pageSize: 10))
            #expect(page.items == [written.1])
            let (html, response) = try await URLSession.shared.data(from: second.baseURL.appendingPathComponent("/"))
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "the web app is served at /")
            #expect(String(decoding: html, as: UTF8.self).lowercased().contains("<html"))
        } catch {
            await second.killIfRunning()
            throw error
        }
        #expect(await second.stop(signal: SIGTERM) == 0, "SIGTERM shuts the server down cleanly")
    }
}
