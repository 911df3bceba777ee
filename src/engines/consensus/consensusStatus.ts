import { proposerOf } from "../../consensus";
import { activationHalt } from "./activation";
import type { ChainState } from "./chainState";

/** What `status` answers (and `anode chain status` prints). */
export function consensusStatus(state: ChainState) {
  const { core, args } = state;
  const validators = args.chain.validators.validators;
  const proposer =
    core.height > 0 ? proposerOf(args.chain.validators, core.height, core.round) : undefined;
  const a = state.activation;
  const halted = state.halted ?? (a?.state === "waiting" ? activationHalt(a) : undefined);
  return {
    chainId: args.chain.chainId,
    self: args.identity.id,
    validator: args.chain.validators.byId.has(args.identity.id),
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
    validators: validators.map((v) => ({
      id: v.id,
      power: v.power,
      lastSeen: state.seen.get(v.id) ?? null,
    })),
    stats: state.stats,
  };
}

/** Whether this node signs on the chain, as its write-ahead record allows. */
function signing(state: ChainState): string {
  const r = state.record;
  if (!state.args.chain.validators.byId.has(state.args.identity.id)) return "not a validator";
  switch (r.kind) {
    case "broken":
      return `refused: the record is unreadable (${r.reason})`;
    case "sealed":
      return state.core.height > r.height ? "ok" : `not at or below height ${r.height}`;
    default:
      return "ok";
  }
}
