import {
  applyChange,
  ed25519Verifier,
  encodeSchedule,
  parseChange,
  parseSchedule,
  type ValidatorSet,
} from "../../consensus";
import { isReserved, type KvResult, type KvTx, type KvValue, VALIDATORS_KEY } from "../../tx";

/** The chain a block belongs to, for transactions that change its validators. */
export interface ChainContext {
  chainId: string;
  /** The configured set, in effect until the first change. */
  genesis: ValidatorSet;
}

export const writesReserved = (tx: KvTx): boolean => tx.writes.some(isReserved);

/**
 * Runs a transaction that writes the node's own keys: a validator change (admission
 * made sure it is one put of `anode/validators`; checked again here, since blocks come
 * from other nodes). Its effect is the new schedule, or a failure that says why.
 */
export function executeSystem(
  tx: KvTx,
  read: (key: string) => KvValue | undefined,
  height: number,
  chain: ChainContext | undefined,
): KvResult {
  const fail = (error: string): KvResult => ({ ok: false, error, op: 0 });
  const [op, ...rest] = tx.ops;
  if (op?.op !== "put" || op.key !== VALIDATORS_KEY || rest.length > 0 || tx.writes.length !== 1)
    return fail(
      `a transaction may write ${VALIDATORS_KEY} only, with one put of a validator change`,
    );
  if (chain === undefined)
    return fail("this chain has no validators to change: it runs without consensus");
  if (!tx.reads.includes(VALIDATORS_KEY))
    return fail(`a validator change must list ${VALIDATORS_KEY} in reads`);
  const change = parseChange(op.value);
  if (typeof change === "string") return fail(change);
  const raw = read(VALIDATORS_KEY);
  const stored = raw === undefined ? undefined : parseSchedule(raw);
  if (typeof stored === "string")
    return fail(`the stored validator schedule is unusable: ${stored}`);
  const next = applyChange({
    change,
    stored,
    genesis: chain.genesis,
    chainId: chain.chainId,
    height,
    verifier: ed25519Verifier,
  });
  if (typeof next === "string") return fail(next);
  return { ok: true, writes: [{ key: VALIDATORS_KEY, value: encodeSchedule(next) }] };
}
