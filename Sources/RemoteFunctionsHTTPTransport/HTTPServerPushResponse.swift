import RemoteFunctionsHTTP
import RemoteFunctionsServer

/// Adapts the HTTP core's detached response to the runtime's ``ServerPushResponse`` seam.
struct HTTPServerPushResponse: ServerPushResponse {
    let response: HTTPDetachedResponse

    func setHandlers(onWritable: @escaping @Sendable () -> Void, onClose: @escaping @Sendable () -> Void) {
        response.setHandlers(onWritable: onWritable, onClose: onClose)
    }

    func hasRoom() -> Bool {
        response.hasRoom()
    }

    func send(_ bytes: [UInt8]) -> Bool {
        response.send(bytes)
    }

    func finish() {
        response.finish()
    }
}
