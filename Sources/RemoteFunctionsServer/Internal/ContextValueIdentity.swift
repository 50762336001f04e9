/// What makes two ``RequestContext/Key``s the same: their name and their value type.
struct ContextValueIdentity: Hashable, Sendable {
    let name: String
    let type: ObjectIdentifier
}
