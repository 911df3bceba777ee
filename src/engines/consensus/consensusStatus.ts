import { proposerOf } from "../../consensus";
import { activationHalt } from "./activation";
import type { ChainState } from "./chainState";

/** What `status` answers (and `anode chain status` prints). */
export function consensusStatus(state: ChainState) {
  const { core, args } = state;
  // The set voting at the current height (the core's own once it started the height).
  const set = core.height > 0 ? core.config.validators : args.chain.validators;
  const validators = set.validators;
  const proposer = core.height > 0 ? proposerOf(set, core.height, core.round) : undefined;
  const a = state.activation;
  const halted = state.halted ?? (a?.state === "waiting" ? activationHalt(a) : undefined);
  return {
    chainId: args.chain.chainId,
    self: args.identity.id,
    validator: set.byId.has(args.identity.id),
    height: core.height,
    round: core.round,
    step: core.step,
    lockedRound: core.lockedRound,
    validRound: core.validRound,
    proposer,
    lastCommit: state.lastCommit,
    committedHeight: args.store.height,
    highestSeen: state.highestSeen,
    ...(halted !== undefined ? { halted } : {}),
    ...(state.alarm !== undefined ? { alarm: state.alarm } : {}),
    ...(a !== undefined ? { activation: { ...a } } : {}),
    signing: signing(state),
    ...(pendingSet(state) ?? {}),
    validators: validators.map((v) => ({
      id: v.id,
      power: v.power,
      lastSeen: state.seen.get(v.id) ?? null,
    })),
    stats: state.stats,
    metrics: state.metrics,
  };
}

/** Whether this node signs on the chain, as its write-ahead record allows. */
function signing(state: ChainState): string {
  const r = state.record;
  if (!state.core.config.validators.byId.has(state.args.identity.id)) return "not a validator";
  switch (r.kind) {
    case "broken":
      return `refused: the record is unreadable (${r.reason})`;
    case "sealed":
      return state.core.height > r.height ? "ok" : `not at or below height ${r.height}`;
    default:
      return "ok";
  }
}

/** A validator change committed but not in effect yet: from which height, and the new set. */
function pendingSet(state: ChainState) {
  const next = state.sets.stored?.sets.find((e) => e.from > state.core.height);
  if (next === undefined) return undefined;
  return {
    nextValidators: {
      from: next.from,
      validators: next.validators.map((v) => ({ id: v.id, power: v.power })),
    },
  };
}
