import type { DirectMessage } from "./contract";
import type { Frame } from "./frameTypes";

const CONTROL_PARTS = ["ihave", "iwant", "graft", "prune", "choke", "unchoke"] as const;
const DIRECT_FIELDS = ["kind", "to", "from", "callId", "ok", "body", "error"] as const;

// Absent optional fields are left out rather than encoded as nil, so the strict decoder
// on the other side sees exactly the fields the schema names.
function directPayload(message: DirectMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of DIRECT_FIELDS) {
    const value = message[field];
    if (value !== undefined) out[field] = value;
  }
  if (message.error !== undefined) {
    out.error = { code: message.error.code, message: message.error.message };
  }
  return out;
}

/** The MessagePack value a frame is sent as: its fields without `type`, absent ones left out. */
export function framePayload(frame: Frame): unknown {
  switch (frame.type) {
    case "hello":
      return {
        network: frame.network,
        id: frame.id,
        publicKey: frame.publicKey,
        protocol: frame.protocol,
        version: frame.version,
        challenge: frame.challenge,
        listen: frame.listen,
        ...(frame.ephemeralKey === undefined ? {} : { ephemeralKey: frame.ephemeralKey }),
      };
    case "auth":
      return { signature: frame.signature };
    case "msg":
      return directPayload(frame.message);
    case "gossip":
      return {
        id: frame.id,
        origin: frame.origin,
        seq: frame.seq,
        topic: frame.topic,
        hops: frame.hops,
        body: frame.body,
      };
    case "ping":
    case "pong":
      return { nonce: frame.nonce };
    case "ctl": {
      const out: Record<string, unknown> = {};
      for (const part of CONTROL_PARTS) {
        const value = frame[part];
        if (value !== undefined && value.length > 0) out[part] = value;
      }
      return out;
    }
    case "pex":
      return { want: frame.want, records: frame.records };
  }
}
