import {
  MAX_CHAIN_ID_BYTES,
  MAX_ROUND,
  MAX_VALIDATOR_ID_BYTES,
  MAX_VALUE_ID_BYTES,
} from "./limits";
import type { ConsensusMessage } from "./messages";

/**
 * True when `message` has the shape and bounds of a consensus message: known type,
 * bounded strings, heights and rounds that are non-negative safe integers within the
 * signing layout, a validRound in [-1, round). Decoded peer data is untyped at runtime,
 * so every field is checked, not just trusted from the static type.
 */
export function checkMessage(message: ConsensusMessage): boolean {
  const m = message as unknown as Record<string, unknown>;
  if (typeof m !== "object" || m === null) return false;
  if (!boundedString(m.chainId, MAX_CHAIN_ID_BYTES)) return false;
  if (!Number.isSafeInteger(m.height) || (m.height as number) < 0) return false;
  if (!Number.isInteger(m.round) || (m.round as number) < 0 || (m.round as number) > MAX_ROUND) {
    return false;
  }
  const round = m.round as number;
  switch (m.type) {
    case "proposal": {
      const value = m.value as Record<string, unknown> | null | undefined;
      if (typeof value !== "object" || value === null) return false;
      if (!boundedString(value.id, MAX_VALUE_ID_BYTES)) return false;
      const vr = m.validRound;
      if (!Number.isInteger(vr) || (vr as number) < -1 || (vr as number) >= round) return false;
      return boundedString(m.proposer, MAX_VALIDATOR_ID_BYTES);
    }
    case "prevote":
    case "precommit":
      if (m.valueId !== null && !boundedString(m.valueId, MAX_VALUE_ID_BYTES)) return false;
      return boundedString(m.voter, MAX_VALIDATOR_ID_BYTES);
    default:
      return false;
  }
}

function boundedString(s: unknown, maxBytes: number): boolean {
  return typeof s === "string" && s.length > 0 && Buffer.byteLength(s, "utf8") <= maxBytes;
}
