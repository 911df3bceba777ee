import { canonicalJson, decodeBase64 } from "../verify";
import { MAX_CHAIN_ID_BYTES, MAX_VALIDATOR_ID_BYTES, MAX_VALIDATORS } from "./limits";
import { isQuorum } from "./quorum";
import type { SignatureVerifier } from "./signatureVerifier";
import {
  entriesOf,
  entryAt,
  setOfEntries,
  VALIDATOR_CHANGE_DELAY,
  type ValidatorEntry,
  type ValidatorSchedule,
  validatorsAt,
} from "./validatorSchedule";
import type { ValidatorSet } from "./validatorSet";

/**
 * A change of a chain's validator set, signed by validators of the set in effect holding
 * more than two thirds of its power (the seeds' multi-signature proof of stake): `add`
 * brings a validator in or sets its power, `remove` takes one out.
 */
export interface ValidatorChange {
  chainId: string;
  /** The schedule's change count after this one: 1 for a chain's first change. */
  number: number;
  add: ValidatorEntry[];
  remove: string[];
  signatures: Array<{ id: string; signature: string }>;
}

/** What a validator signs: the change without its signatures, as canonical JSON. */
export function changeSigningBytes(c: Omit<ValidatorChange, "signatures">): Uint8Array {
  const body = {
    add: [...c.add].sort((a, b) => (a.id < b.id ? -1 : 1)),
    chainId: c.chainId,
    number: c.number,
    remove: [...c.remove].sort(),
  };
  return new Uint8Array(Buffer.from(`anode validator change\n${canonicalJson(body)}`));
}

const isId = (v: unknown): v is string =>
  typeof v === "string" && v.length > 0 && Buffer.byteLength(v) <= MAX_VALIDATOR_ID_BYTES;

/** Checks the shape of an untrusted change (a transaction's value); returns it or why not. */
export function parseChange(text: unknown): ValidatorChange | string {
  if (typeof text !== "string") return "a validator change is a JSON string";
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "a validator change must be JSON";
  }
  const c = raw as Partial<ValidatorChange>;
  if (typeof c !== "object" || c === null) return "a validator change must be an object";
  const known = new Set(["chainId", "number", "add", "remove", "signatures"]);
  const extra = Object.keys(c).find((k) => !known.has(k));
  if (extra !== undefined)
    return `a validator change has an unknown field ${JSON.stringify(extra)}`;
  if (typeof c.chainId !== "string" || Buffer.byteLength(c.chainId) > MAX_CHAIN_ID_BYTES)
    return "chainId must be a chain id";
  if (!Number.isSafeInteger(c.number) || (c.number as number) < 1)
    return "number must be a positive integer";
  if (!Array.isArray(c.add) || !Array.isArray(c.remove) || !Array.isArray(c.signatures))
    return "add, remove and signatures must be lists";
  if (c.add.length + c.remove.length === 0) return "a validator change must add or remove someone";
  if (c.add.length + c.remove.length > MAX_VALIDATORS || c.signatures.length > MAX_VALIDATORS)
    return `a validator change lists more than ${MAX_VALIDATORS} entries`;
  for (const a of c.add)
    if (
      !isId(a?.id) ||
      typeof a.publicKey !== "string" ||
      !Number.isSafeInteger(a.power) ||
      Object.keys(a).length !== 3
    )
      return "each of add must be {id, publicKey, power}";
  if (!c.remove.every(isId)) return "each of remove must be a validator id";
  for (const s of c.signatures)
    if (!isId(s?.id) || typeof s.signature !== "string" || Object.keys(s).length !== 2)
      return "each of signatures must be {id, signature}";
  const touched = [...c.add.map((a) => a.id), ...c.remove];
  if (new Set(touched).size !== touched.length) return "a validator is named twice in the change";
  return c as ValidatorChange;
}

/**
 * Applies a change at `height` to the stored schedule (undefined: the chain's configured
 * set still rules). Returns the new schedule, or why the change is refused: another
 * change still pending, a wrong chain or number, a set that would be invalid, or
 * signatures short of two thirds of the power in effect at `height`.
 */
export function applyChange(o: {
  change: ValidatorChange;
  stored: ValidatorSchedule | undefined;
  genesis: ValidatorSet;
  chainId: string;
  height: number;
  verifier: SignatureVerifier;
}): ValidatorSchedule | string {
  const { change, stored, genesis, height } = o;
  if (change.chainId !== o.chainId)
    return `the change is for chain ${change.chainId}, not ${o.chainId}`;
  const pending = stored?.sets.find((s) => s.from > height);
  if (pending !== undefined)
    return `another validator change takes effect at height ${pending.from}; wait until then`;
  const expected = (stored?.changes ?? 0) + 1;
  if (change.number !== expected)
    return `the change is number ${change.number}, but the next change of ${o.chainId} is number ${expected}`;
  const current = validatorsAt(stored, genesis, height);
  const next = new Map(entriesOf(current).map((e) => [e.id, e]));
  for (const id of change.remove) {
    if (!next.delete(id)) return `cannot remove ${id}: it is not a validator`;
  }
  for (const a of change.add) next.set(a.id, a);
  const validators = [...next.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  try {
    setOfEntries(validators);
  } catch (err) {
    return `the new validator set would be invalid: ${(err as Error).message}`;
  }
  const bytes = changeSigningBytes(change);
  let signed = 0;
  const seen = new Set<string>();
  for (const s of change.signatures) {
    const v = current.byId.get(s.id);
    if (v === undefined)
      return `${s.id} signed the change but is not a validator at height ${height}`;
    if (seen.has(s.id)) return `${s.id} signed the change twice`;
    seen.add(s.id);
    const sig = decodeBase64(s.signature);
    if (sig === undefined || !o.verifier(v.publicKey, bytes, sig))
      return `the signature of ${s.id} does not verify`;
    signed += v.power;
  }
  if (!isQuorum(signed, current.totalPower))
    return `the change is signed by ${signed} of ${current.totalPower} voting power; it needs more than two thirds`;
  const inEffect = (stored === undefined ? undefined : entryAt(stored, height)) ?? {
    from: 0,
    validators: entriesOf(genesis),
  };
  return {
    changes: expected,
    sets: [inEffect, { from: height + VALIDATOR_CHANGE_DELAY, validators }],
  };
}
