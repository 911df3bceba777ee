import { nodeIdOf } from "../p2p";
import { ConsensusError } from "./consensusError";
import { MAX_TOTAL_POWER, MAX_VALIDATOR_ID_BYTES, MAX_VALIDATORS } from "./limits";

export interface Validator {
  /** The validator's node id: it must be `nodeIdOf(publicKey)`. */
  readonly id: string;
  readonly publicKey: Uint8Array;
  /** Voting power, a positive integer. */
  readonly power: number;
}

/** A checked validator set, sorted by id so every node derives the same proposer order. */
export interface ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalPower: number;
  readonly byId: ReadonlyMap<string, Validator>;
}

/**
 * Checks and sorts a validator list (from config). Throws ConsensusError on an empty or
 * oversized set, a duplicate id, a power that is not a positive safe integer, or an id
 * that is not the node id of its public key (a typo there would otherwise surface only
 * as "bad signature" on every vote of that validator).
 */
export function createValidatorSet(validators: readonly Validator[]): ValidatorSet {
  if (validators.length === 0 || validators.length > MAX_VALIDATORS) {
    throw invalid(`expected 1 to ${MAX_VALIDATORS} validators, got ${validators.length}`);
  }
  const byId = new Map<string, Validator>();
  let totalPower = 0;
  for (const v of validators) {
    if (Buffer.byteLength(v.id) > MAX_VALIDATOR_ID_BYTES) throw invalid(`id too long: ${v.id}`);
    if (byId.has(v.id)) throw invalid(`duplicate validator ${v.id}`);
    if (!Number.isSafeInteger(v.power) || v.power <= 0) {
      throw invalid(`validator ${v.id} has power ${v.power}; expected a positive integer`);
    }
    if (nodeIdOf(v.publicKey) !== v.id) {
      throw invalid(`validator ${v.id} does not match its public key`);
    }
    totalPower += v.power;
    if (totalPower > MAX_TOTAL_POWER) throw invalid(`total power exceeds ${MAX_TOTAL_POWER}`);
    byId.set(v.id, { id: v.id, publicKey: new Uint8Array(v.publicKey), power: v.power });
  }
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { validators: sorted, totalPower, byId };
}

function invalid(reason: string): ConsensusError {
  return new ConsensusError(
    { code: "CONSENSUS_VALIDATOR_SET_INVALID", reason },
    `Cannot build validator set: ${reason}`,
  );
}
