/// Names for seeded and simulated participants.
enum DemoNames {
    static let first = [
        "Ada", "Alan", "Amara", "Ana", "Arjun", "Aziz", "Bea", "Bruno", "Chen", "Chiara", "Dara", "Diego", "Elena",
        "Emil", "Fatima", "Femi", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Kai", "Kemal", "Lara", "Leila",
        "Luca", "Maya", "Mei", "Milan", "Nadia", "Noah", "Olga", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Sofia",
        "Tariq", "Uma", "Viktor", "Wen", "Yara", "Yusuf", "Zoe",
    ]
    static let last = [
        "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksson", "Fischer", "García", "Haddad", "Ivanova", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka",
        "Ulloa", "Varga", "Wagner", "Xu", "Yilmaz", "Zhang", "Hopper", "Lovelace", "Turing", "Hamilton",
    ]

    static func random(using generator: inout some RandomNumberGenerator) -> String {
        let first = first.randomElement(using: &generator) ?? "Sam"
        let last = last.randomElement(using: &generator) ?? "Doe"
        return "\(first) \(last)"
    }
}
