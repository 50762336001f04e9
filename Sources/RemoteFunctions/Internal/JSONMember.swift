/// Where one member of a JSON object sits in the document.
struct JSONMember {
    /// The first byte of the key, after its opening quote.
    var keyStart: Int
    /// The offset of the key's closing quote.
    var keyEnd: Int
    /// Whether the key's bytes are its UTF-8 text as is (ASCII, no escapes).
    var keyIsPlainASCII: Bool
    /// The first byte of the value.
    var valueStart: Int
}
