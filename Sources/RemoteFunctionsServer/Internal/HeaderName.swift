/// Header names compare ASCII case-insensitively; this does it without allocating.
enum HeaderName {
    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let lowerA = a >= 65 && a <= 90 ? a | 0x20 : a
            let lowerB = b >= 65 && b <= 90 ? b | 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
