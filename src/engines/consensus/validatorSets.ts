import {
  type ChainSpec,
  parseSchedule,
  VALIDATOR_CHANGE_DELAY,
  type ValidatorSchedule,
  validatorsAt,
} from "../../consensus";
import type { EngineContext } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { decodeValue, VALIDATORS_KEY } from "../../tx";
import { decodeBlock } from "./block";
import type { ChainState } from "./chainState";
import { decodeBlockTxs } from "./decodeBlockTxs";

/**
 * Which validators vote at each height. A change commits at h and takes effect at h + 2,
 * so the set of height H is the schedule stored in state as of H - 2. The engine keeps
 * the schedule as of some height (`asOf`) and the decided heights above it whose blocks
 * carry a validator change: while none of those is at or below H - 2, the schedule it
 * has answers for H; otherwise it waits for the store to commit them and reads again.
 */
export interface ValidatorSets {
  stored: ValidatorSchedule | undefined;
  asOf: number;
  changes: number[];
  loading: boolean;
  /** The stored schedule does not parse: nothing is signed or judged on a guess. */
  broken: string | undefined;
  /** A height that could not start before its set was known. */
  waitingStart: number | undefined;
}

/** The schedule as the store holds it now (undefined: the configured set rules). */
export async function readSets(
  store: VersionedStore,
): Promise<Omit<ValidatorSets, "waitingStart">> {
  const asOf = store.height;
  const bytes = await store.read(VALIDATORS_KEY, asOf);
  if (bytes === undefined)
    return { stored: undefined, asOf, changes: [], loading: false, broken: undefined };
  const parsed = parseSchedule(decodeValue(bytes));
  return typeof parsed === "string"
    ? { stored: undefined, asOf, changes: [], loading: false, broken: parsed }
    : { stored: parsed, asOf, changes: [], loading: false, broken: undefined };
}

/** The chain as it stands at `height`, or undefined while its set is not known yet. */
export function chainAt(state: ChainState, height: number): ChainSpec | undefined {
  const sets = state.sets;
  // Never read (just started or swapped in): nothing is known until it is.
  if (sets.broken !== undefined || sets.asOf < 0) return undefined;
  const basis = height - VALIDATOR_CHANGE_DELAY;
  if (sets.changes.some((h) => h <= basis)) return undefined;
  return withValidators(state, height);
}

function withValidators(state: ChainState, height: number): ChainSpec {
  const chain = state.args.chain;
  const validators = validatorsAt(state.sets.stored, chain.validators, height);
  return validators === chain.validators ? chain : { chainId: chain.chainId, validators };
}

/** Whether a decided block carries a transaction that writes the validator schedule. */
export function changesValidators(block: Uint8Array): boolean {
  try {
    return decodeBlockTxs(decodeBlock(block).txs).some((t) => t.tx.writes.includes(VALIDATORS_KEY));
  } catch {
    return false;
  }
}

/** Notes a decided block; a change in it is read back once the store has committed it. */
export function noteDecided(state: ChainState, height: number, block: Uint8Array): void {
  if (height > state.sets.asOf && changesValidators(block) && !state.sets.changes.includes(height))
    state.sets.changes.push(height);
}

/** Reads the schedule again once the store has committed the first pending change. */
export function refreshSets(state: ChainState, ctx: EngineContext): void {
  const sets = state.sets;
  const first = sets.changes[0];
  if (sets.loading || first === undefined || state.args.store.height < first) return;
  sets.loading = true;
  readSets(state.args.store).then(
    (read) => ctx.info({ type: "setsLoaded", ...read }),
    (err: unknown) =>
      ctx.info({
        type: "setsLoaded",
        stored: undefined,
        asOf: sets.asOf,
        changes: [],
        loading: false,
        broken: `cannot read ${VALIDATORS_KEY}: ${(err as Error).message}`,
      }),
  );
}

/** Takes a read schedule in; returns the height that waited for it, if any. */
export function onSetsLoaded(
  state: ChainState,
  read: Omit<ValidatorSets, "waitingStart">,
): number | undefined {
  const sets = state.sets;
  sets.loading = false;
  if (read.broken !== undefined) {
    sets.broken = read.broken;
    return undefined;
  }
  sets.stored = read.stored;
  sets.asOf = Math.max(sets.asOf, read.asOf);
  sets.changes = sets.changes.filter((h) => h > sets.asOf);
  const waiting = sets.waitingStart;
  if (waiting !== undefined && chainAt(state, waiting) !== undefined) {
    sets.waitingStart = undefined;
    return waiting;
  }
  return undefined;
}
