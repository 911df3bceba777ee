import { VALIDATORS_KEY } from "../tx";
import { canonicalJson, decodeBase64, encodeBase64 } from "../verify";
import { MAX_VALIDATORS } from "./limits";
import { createValidatorSet, type ValidatorSet } from "./validatorSet";

/** A change committed at height h takes effect at h + this. */
export const VALIDATOR_CHANGE_DELAY = 2;
/** A stored schedule is a JSON string of at most this many bytes (two sets of the maximum). */
export const MAX_SCHEDULE_BYTES = 2 * MAX_VALIDATORS * 200 + 1024;

/** A validator as state and transactions spell it. */
export interface ValidatorEntry {
  id: string;
  /** base64 of the raw ed25519 public key. */
  publicKey: string;
  power: number;
}

/**
 * The chain's validator sets by height: the one in effect and at most one pending (a
 * change takes effect two heights after it commits, so every node knows the set of a
 * height before it has to vote on it). `changes` counts the changes applied; a signed
 * change names the number it will be, so it cannot be applied twice.
 */
export interface ValidatorSchedule {
  changes: number;
  sets: Array<{ from: number; validators: ValidatorEntry[] }>;
}

export function entriesOf(set: ValidatorSet): ValidatorEntry[] {
  return set.validators.map((v) => ({
    id: v.id,
    publicKey: encodeBase64(v.publicKey),
    power: v.power,
  }));
}

/** Builds a checked set from entries; throws ConsensusError (bad key, duplicate, power). */
export function setOfEntries(entries: readonly ValidatorEntry[]): ValidatorSet {
  return createValidatorSet(
    entries.map((e) => {
      const publicKey = decodeBase64(e.publicKey);
      if (publicKey === undefined) throw new Error(`validator ${e.id}: publicKey is not base64`);
      return { id: e.id, publicKey, power: e.power };
    }),
  );
}

export function encodeSchedule(s: ValidatorSchedule): string {
  return canonicalJson(s);
}

/**
 * Reads a stored schedule (state is untrusted on disk: size, shape and every set checked).
 * Returns why it is unusable instead of throwing.
 */
export function parseSchedule(text: unknown): ValidatorSchedule | string {
  if (typeof text !== "string") return `${VALIDATORS_KEY} is not a string`;
  if (Buffer.byteLength(text) > MAX_SCHEDULE_BYTES)
    return `${VALIDATORS_KEY} is over ${MAX_SCHEDULE_BYTES} bytes`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `${VALIDATORS_KEY} is not JSON`;
  }
  const s = raw as Partial<ValidatorSchedule>;
  if (
    typeof s !== "object" ||
    s === null ||
    !Number.isSafeInteger(s.changes) ||
    (s.changes as number) < 1 ||
    !Array.isArray(s.sets) ||
    s.sets.length < 1 ||
    s.sets.length > 2
  )
    return `${VALIDATORS_KEY} does not hold a validator schedule`;
  let previous = -1;
  for (const entry of s.sets) {
    if (
      !Number.isSafeInteger(entry?.from) ||
      entry.from <= previous ||
      !Array.isArray(entry.validators)
    )
      return `${VALIDATORS_KEY} holds a set without a valid from height`;
    previous = entry.from;
    try {
      setOfEntries(entry.validators);
    } catch (err) {
      return `${VALIDATORS_KEY} holds a bad set: ${(err as Error).message}`;
    }
  }
  return s as ValidatorSchedule;
}

/** The schedule's entry in effect at `height` (the latest with from <= height). */
export function entryAt(
  s: ValidatorSchedule,
  height: number,
): { from: number; validators: ValidatorEntry[] } | undefined {
  let found: { from: number; validators: ValidatorEntry[] } | undefined;
  for (const e of s.sets) if (e.from <= height) found = e;
  return found;
}

const built = new Map<string, ValidatorSet>();

/**
 * The validator set of `height`: from the schedule stored in state (as of any height at
 * least two before it), or the chain's configured set while nothing has changed. Sets
 * are built once per distinct list.
 */
export function validatorsAt(
  stored: ValidatorSchedule | undefined,
  genesis: ValidatorSet,
  height: number,
): ValidatorSet {
  const entry = stored === undefined ? undefined : entryAt(stored, height);
  if (entry === undefined) return genesis;
  const key = canonicalJson(entry.validators);
  let set = built.get(key);
  if (set === undefined) {
    set = setOfEntries(entry.validators);
    if (built.size > 16) built.clear();
    built.set(key, set);
  }
  return set;
}
