import type { ConsensusMessage } from "./messages";

/** Prefix of every consensus signature, so no other signed anode payload can be replayed as a vote. */
export const CONSENSUS_DOMAIN_TAG = "anode/consensus/v1";

const TYPE_TAGS = { proposal: 1, prevote: 2, precommit: 3 } as const;
const NIL = 0;
const PRESENT = 1;

/**
 * The canonical bytes a validator signs for a message. A hand-rolled, fixed layout (not a
 * generic encoder) so the bytes can never change with a library version:
 *
 *   tag ‖ 0x00 ‖ type:u8 ‖ str(chainId) ‖ height:u64 ‖ round:u32 ‖ body ‖ str(signer)
 *   proposal body: str(valueId) ‖ (validRound + 1):u32
 *   vote body:     0x00 (nil) | 0x01 ‖ str(valueId)
 *
 * str(s) = byte length:u16 ‖ UTF-8 bytes; integers are big-endian. A proposal's block is
 * not signed, only its id: the engine checks id = hash(block) before the core sees it.
 * Expects a well-formed message (`checkMessage`); lengths beyond u16 would not fit.
 */
export function signBytes(message: ConsensusMessage): Uint8Array {
  const parts: Uint8Array[] = [
    utf8(CONSENSUS_DOMAIN_TAG),
    Uint8Array.of(0, TYPE_TAGS[message.type]),
  ];
  parts.push(str(message.chainId), u64(message.height), u32(message.round));
  if (message.type === "proposal") {
    parts.push(str(message.value.id), u32(message.validRound + 1), str(message.proposer));
  } else {
    parts.push(
      message.valueId === null ? Uint8Array.of(NIL) : Uint8Array.of(PRESENT),
      message.valueId === null ? new Uint8Array(0) : str(message.valueId),
      str(message.voter),
    );
  }
  return new Uint8Array(Buffer.concat(parts));
}

function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}

function str(s: string): Uint8Array {
  const bytes = utf8(s);
  const out = new Uint8Array(2 + bytes.length);
  new DataView(out.buffer).setUint16(0, bytes.length);
  out.set(bytes, 2);
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}
