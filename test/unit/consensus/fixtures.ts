import {
  type ChainSpec,
  type ConsensusConfig,
  type ConsensusInput,
  type ConsensusMessage,
  type ConsensusOutput,
  type ConsensusState,
  type ConsensusValue,
  createConsensusState,
  createValidatorSet,
  type Proposal,
  type Signed,
  type SignedVote,
  signBytes,
  step,
  type TimeoutOptions,
  type Vote,
  type VoteType,
} from "../../../src/consensus";
import { generateIdentity, type NodeIdentity } from "../../../src/p2p";

export const CHAIN = "test-chain";

export const testTimeouts: TimeoutOptions = {
  propose: { baseMs: 300, deltaMs: 50 },
  prevote: { baseMs: 100, deltaMs: 20 },
  precommit: { baseMs: 100, deltaMs: 20 },
};

const identityCache = new Map<number, NodeIdentity>();

/** A reproducible identity per index, so tests (and fixed byte vectors) never change. */
export function identity(index: number): NodeIdentity {
  let id = identityCache.get(index);
  if (id === undefined) {
    id = generateIdentity(new Uint8Array(32).fill(index + 1));
    identityCache.set(index, id);
  }
  return id;
}

export interface Fixture {
  readonly chain: ChainSpec;
  /** Identities in validator-set order (sorted by id), so `keys[i]` is validator i. */
  readonly keys: readonly NodeIdentity[];
  /** Validator ids in set order. */
  readonly ids: readonly string[];
}

/** A chain whose validators have the given powers (in sorted-id order). */
export function fixture(powers: readonly number[], chainId = CHAIN): Fixture {
  const sorted = powers.map((_, i) => identity(i)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const validators = createValidatorSet(
    sorted.map((k, i) => ({ id: k.id, publicKey: k.publicKey, power: powers[i] as number })),
  );
  return { chain: { chainId, validators }, keys: sorted, ids: sorted.map((k) => k.id) };
}

export function sign<M extends ConsensusMessage>(message: M, key: NodeIdentity): Signed<M> {
  return { message, signature: key.sign(signBytes(message)) };
}

export function value(name: string): ConsensusValue {
  return { id: `id-${name}`, block: { name } };
}

export class Harness {
  state: ConsensusState;
  outputs: ConsensusOutput[] = [];

  constructor(
    readonly fx: Fixture,
    /** Index (in set order) of the node under test; -1 for a follower. */
    readonly self: number,
  ) {
    const config: ConsensusConfig = {
      ...fx.chain,
      self: self >= 0 ? (fx.ids[self] as string) : "follower",
      timeouts: testTimeouts,
    };
    this.state = createConsensusState(config);
  }

  /** Steps the machine; like the engine, signs its broadcasts and feeds them back. */
  input(input: ConsensusInput): ConsensusOutput[] {
    const result = step(this.state, input);
    this.state = result.state;
    this.outputs.push(...result.outputs);
    const all = [...result.outputs];
    if (this.self < 0) return all;
    for (const message of broadcasts(result.outputs)) {
      all.push(
        ...this.input({
          type: "message",
          signed: sign(message, this.fx.keys[this.self] as NodeIdentity),
        }),
      );
    }
    return all;
  }

  start(height: number): ConsensusOutput[] {
    return this.input({ type: "start", height });
  }

  vote(type: VoteType, from: number, valueId: string | null, at: At = {}): ConsensusOutput[] {
    return this.input({ type: "message", signed: this.signedVote(type, from, valueId, at) });
  }

  signedVote(type: VoteType, from: number, valueId: string | null, at: At = {}): SignedVote {
    const vote: Vote = {
      type,
      chainId: at.chainId ?? this.fx.chain.chainId,
      height: at.height ?? this.state.height,
      round: at.round ?? this.state.round,
      valueId,
      voter: this.fx.ids[from] as string,
    };
    return sign(vote, this.fx.keys[from] as NodeIdentity);
  }

  /** Votes of `type` for `valueId` from each of `from`. */
  votes(type: VoteType, from: readonly number[], valueId: string | null, at: At = {}) {
    return from.flatMap((i) => this.vote(type, i, valueId, at));
  }

  proposal(
    v: ConsensusValue,
    opts: At & { validRound?: number; valid?: boolean; from?: number } = {},
  ): ConsensusOutput[] {
    const height = opts.height ?? this.state.height;
    const round = opts.round ?? this.state.round;
    const from = opts.from ?? (height + round) % this.fx.ids.length;
    const proposal: Proposal = {
      type: "proposal",
      chainId: opts.chainId ?? this.fx.chain.chainId,
      height,
      round,
      value: v,
      validRound: opts.validRound ?? -1,
      proposer: this.fx.ids[from] as string,
    };
    const signed = sign(proposal, this.fx.keys[from] as NodeIdentity);
    return this.input({
      type: "message",
      signed,
      ...(opts.valid === undefined ? {} : { valid: opts.valid }),
    });
  }

  timeout(kind: "propose" | "prevote" | "precommit", at: At = {}): ConsensusOutput[] {
    return this.input({
      type: "timeout",
      kind,
      height: at.height ?? this.state.height,
      round: at.round ?? this.state.round,
    });
  }
}

export interface At {
  chainId?: string;
  height?: number;
  round?: number;
}

/** The messages among `outputs` that were broadcast. */
export function broadcasts(outputs: readonly ConsensusOutput[]): ConsensusMessage[] {
  return outputs.flatMap((o) => (o.type === "broadcast" ? [o.message] : []));
}

export function ofType<T extends ConsensusOutput["type"]>(
  outputs: readonly ConsensusOutput[],
  type: T,
): Extract<ConsensusOutput, { type: T }>[] {
  return outputs.filter((o): o is Extract<ConsensusOutput, { type: T }> => o.type === type);
}
