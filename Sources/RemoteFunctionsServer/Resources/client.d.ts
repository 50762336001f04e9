// Type declarations for client.js.
