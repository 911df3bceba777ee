/** Domain separation: these signatures can never be mistaken for another protocol's. */
export const AUTH_DOMAIN_TAG = "anode/p2p/auth/v2";

export interface AuthContext {
  readonly network: string;
  /** The challenge the verifier sent in its hello. */
  readonly challenge: Uint8Array;
  readonly signer: string;
  readonly verifier: string;
  /** deriveLinkKeys' hash of both hellos, ephemeral keys included. */
  readonly transcript: Uint8Array;
}

function field(value: string | Uint8Array): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * What a node signs to prove its identity to a peer: the tag, the network, the PEER's
 * fresh challenge and both ids, each length-prefixed. Binding the challenge makes a
 * recorded signature useless in any other session; binding both ids and the network
 * stops it from being relayed to a third node or another network. Binding the transcript
 * (both hellos with their ephemeral keys) ties the identity to this link's keys: a man in
 * the middle, who must put his own ephemeral keys in each hello, gets a transcript the
 * signature does not cover.
 */
export function authPayload(context: AuthContext): Uint8Array {
  return Buffer.concat([
    field(AUTH_DOMAIN_TAG),
    field(context.network),
    field(context.challenge),
    field(context.signer),
    field(context.verifier),
    field(context.transcript),
  ]);
}
