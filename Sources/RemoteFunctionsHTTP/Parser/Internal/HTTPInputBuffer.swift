/// The bytes received but not yet consumed by a parser: an array with a read index, compacted only when
/// the consumed prefix is large, so consuming is O(1) and appending is amortised O(n).
///
/// Once every byte is consumed the storage is released, so an idle connection keeps no buffer (and
/// no capacity grown by an earlier large request); an array appended to an empty buffer is adopted
/// as the storage without copying.
struct HTTPInputBuffer: Sendable {
    /// The result of looking for the end of a line.
    enum LineSearch {
        /// A line of this many bytes (CRLF excluded) starts at the read index.
        case found(length: Int)
        /// No complete line yet; this many bytes were scanned and need not be scanned again.
        case incomplete(scanned: Int)
        /// A CR not followed by LF.
        case bareCR
        /// An LF not preceded by CR.
        case bareLF
    }

    private var storage: [UInt8] = []
    private var readIndex = 0

    /// The number of unconsumed bytes.
    var count: Int { storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compactBeforeAppending()
        bytes.withMemoryRebound(to: UInt8.self) { storage.append(contentsOf: $0) }
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if readIndex == storage.count {
            storage = bytes
            readIndex = 0
            return
        }
        compactBeforeAppending()
        storage.append(contentsOf: bytes)
    }

    private mutating func compactBeforeAppending() {
        if readIndex == storage.count {
            storage = []
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= storage.count {
            storage.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// The unconsumed byte at `offset` from the read index.
    func byte(at offset: Int) -> UInt8 {
        storage[readIndex + offset]
    }

    mutating func consume(_ byteCount: Int) {
        readIndex += byteCount
        if readIndex == storage.count {
            storage = []
            readIndex = 0
        }
    }

    /// Removes and returns the first `byteCount` unconsumed bytes.
    mutating func take(_ byteCount: Int) -> [UInt8] {
        let bytes = Array(storage[readIndex..<readIndex + byteCount])
        consume(byteCount)
        return bytes
    }

    /// Looks for a CRLF-terminated line at the read index, resuming after `scanned` bytes already searched.
    /// A CR followed by anything but LF, or an LF without its CR, is reported as soon as it is seen.
    func findLine(resumingAfter scanned: Int) -> LineSearch {
        let start = readIndex
        return storage.withUnsafeBufferPointer { buffer in
            let end = buffer.count
            var index = start + scanned
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\n") {
                    guard index > start && buffer[index - 1] == UInt8(ascii: "\r") else { return .bareLF }
                    return .found(length: index - 1 - start)
                }
                if byte == UInt8(ascii: "\r") && index + 1 < end && buffer[index + 1] != UInt8(ascii: "\n") {
                    return .bareCR
                }
                index += 1
            }
            // A CR at the very end is looked at again with the byte after it, so a bare CR is reported the
            // same way however the input is split.
            let rescanLastCR = end > start && buffer[end - 1] == UInt8(ascii: "\r") ? 1 : 0
            return .incomplete(scanned: end - start - rescanLastCR)
        }
    }

    /// Calls `body` with the `length` unconsumed bytes at the read index.
    func withBytes<Result>(
        _ length: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Result
    ) throws(HTTPParseError) -> Result {
        let start = readIndex
        let outcome: Swift.Result<Result, HTTPParseError> = storage.withUnsafeBufferPointer { buffer in
            let line = UnsafeBufferPointer(rebasing: buffer[start..<start + length])
            do throws(HTTPParseError) {
                return .success(try body(line))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
