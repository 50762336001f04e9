import RemoteFunctionsHTTP
import Testing

/// Hang-up detection, backpressure and shutdown, on both backends.
@Suite("HTTP server streaming and lifecycle")
struct HTTPServerStreamingTests {
    @Test(
        "a client leaving an idle stream cancels the handler awaiting its next value",
        arguments: EventQueueKind.allCases)
    func hangUpCancelsIdleStream(kind: EventQueueKind) async throws {
        let cancelled = Signal()
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            try await writer.write(Array("event: ready\ndata: 1\n\n".utf8))
            // Idle: wait for a next value that never comes.
            let (values, continuation) = AsyncStream.makeStream(of: Int.self)
            await withTaskCancellationHandler {
                for await _ in values {}
            } onCancel: {
                cancelled.raise()
                continuation.finish()
            }
        } _: { port, server in
            let connection = try RawConnection(port: port)
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            var received: [UInt8] = []
            while !String(decoding: received, as: UTF8.self).contains("event: ready") {
                let more = try await connection.readExactly(1)
                if more.isEmpty { break }
                received += more
            }
            #expect(!cancelled.isRaised)
            let start = ContinuousClock.now
            connection.close()
            #expect(await cancelled.wait(), "the handler was never cancelled")
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test("a client leaving cancels a handler sleeping in Task.sleep", arguments: EventQueueKind.allCases)
    func hangUpCancelsSleep(kind: EventQueueKind) async throws {
        let cancelled = Signal()
        let started = Signal()
        try await withTestServer(testConfiguration(kind)) { _, _ in
            started.raise()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch is CancellationError {
                cancelled.raise()
            }
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            try await connection.send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await started.wait())
            connection.close()
            #expect(await cancelled.wait(), "the sleeping handler was never cancelled")
        }
    }

    @Test(
        "a peer that never reads cannot push the outbound buffer past the high-water mark",
        arguments: EventQueueKind.allCases)
    func backpressure(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) {
            $0.outboundHighWaterMark = 64 * 1024
            $0.outboundLowWaterMark = 16 * 1024
            $0.writeTimeout = .milliseconds(500)
        }
        let ended = Signal()
        let written = Recorder(0)
        let target = 64 * 1024 * 1024
        try await withTestServer(configuration) { _, writer in
            defer { ended.raise() }
            try await writer.writeHead(status: 200, headers: HTTPHeaders())
            let chunk = [UInt8](repeating: 0x62, count: 8 * 1024)
            while written.value < target {
                try await writer.write(chunk)
                written.update { $0 += chunk.count }
            }
        } _: { port, server in
            let connection = try RawConnection(port: port)
            connection.shrinkReceiveBuffer()
            defer { connection.close() }
            try await connection.send("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await ended.wait())
            #expect(written.value < target, "the handler was never held back")
            #expect(server.maxBufferedOutboundBytes > 0)
            #expect(server.maxBufferedOutboundBytes <= 64 * 1024)
        }
    }

    @Test("graceful shutdown under load loses no completed response", arguments: EventQueueKind.allCases)
    func gracefulShutdownUnderLoad(kind: EventQueueKind) async throws {
        let inFlight = Signal()
        let release = Signal()
        let body = [UInt8](repeating: 0x63, count: 10_000)
        let server = HTTPServer(configuration: testConfiguration(kind)) { request, writer in
            if request.path == "/held" {
                inFlight.raise()
                _ = await release.wait()
            } else {
                await Task.yield()
            }
            try await writer.respond(status: 200, headers: ["content-type": "application/octet-stream"], body: body)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let runTask = Task {
            try await server.run { portContinuation.yield($0.port) }
        }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())
        let client = HTTPClient(eventQueue: kind)
        let completed = Recorder(0)
        let underLoad = Signal()
        let bad = Recorder([String]())
        let heldTask = Task {
            let response = try await client.execute(url: "http://127.0.0.1:\(port)/held")
            return (response.status, try await response.body.collect(upTo: 1 << 20).count)
        }
        #expect(await inFlight.wait())
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    let workerClient = HTTPClient(eventQueue: kind)
                    defer { Task { await workerClient.shutdown() } }
                    while true {
                        let response: HTTPClientResponse
                        do {
                            response = try await workerClient.execute(url: "http://127.0.0.1:\(port)/load/\(worker)")
                        } catch {
                            // Refused, or closed before any response began: nothing was lost.
                            return
                        }
                        do {
                            let received = try await response.body.collect(upTo: 1 << 20)
                            guard response.status == 200 && received == body else {
                                bad.update { $0.append("status \(response.status), \(received.count) bytes") }
                                return
                            }
                        } catch {
                            bad.update { $0.append("response cut short: \(error)") }
                            return
                        }
                        if completed.update({
                            $0 += 1
                            return $0
                        }) == 200 {
                            underLoad.raise()
                        }
                    }
                }
            }
            group.addTask {
                _ = await underLoad.wait()
                server.beginGracefulShutdown(deadline: .seconds(10))
                release.raise()
            }
        }
        let held = try await heldTask.value
        try await runTask.value
        await client.shutdown()
        #expect(held.0 == 200 && held.1 == body.count, "the in-flight request was not completed")
        #expect(bad.value.isEmpty)
        #expect(completed.value >= 200)
        #expect(server.openConnectionCount == 0)
    }

    @Test("the shutdown deadline cancels handlers that do not finish", arguments: EventQueueKind.allCases)
    func shutdownDeadline(kind: EventQueueKind) async throws {
        let started = Signal()
        let cancelled = Signal()
        try await withTestServer(testConfiguration(kind)) { _, _ in
            started.raise()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.raise()
            }
        } _: { port, server in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await started.wait())
            server.beginGracefulShutdown(deadline: .milliseconds(200))
            #expect(await cancelled.wait())
        }
    }

    @Test("cancelling the task running run() shuts the server down", arguments: EventQueueKind.allCases)
    func cancellingRun(kind: EventQueueKind) async throws {
        let started = Signal()
        let cancelled = Signal()
        let server = HTTPServer(configuration: testConfiguration(kind)) { _, _ in
            started.raise()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.raise()
            }
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let runTask = Task { try await server.run { portContinuation.yield($0.port) } }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        try await connection.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await started.wait())
        runTask.cancel()
        try await runTask.value
        #expect(cancelled.isRaised)
        #expect(server.openConnectionCount == 0)
    }
}
