/// Random session codes: six characters from an alphabet without `I`, `O`, `0` and `1`, which
/// people confuse when they read a code aloud (32 symbols, about 10⁹ codes).
enum SessionCodeGenerator {
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    static let length = 6

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}
