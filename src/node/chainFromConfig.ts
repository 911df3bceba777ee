import type { ChainSetting, ConsensusOptions } from "../config";
import { type ChainSpec, createValidatorSet, type TimeoutOptions } from "../consensus";

/** A configured chain as the consensus core takes it (public keys decoded, set checked). */
export function chainFromConfig(setting: ChainSetting): ChainSpec {
  return {
    chainId: setting.chainId,
    validators: createValidatorSet(
      setting.validators.map((v) => ({
        id: v.id,
        publicKey: new Uint8Array(Buffer.from(v.publicKey, "base64")),
        power: v.power,
      })),
    ),
  };
}

export function timeoutsFromConfig(c: ConsensusOptions): TimeoutOptions {
  return {
    propose: { baseMs: c.proposeTimeoutMs, deltaMs: c.timeoutDeltaMs },
    prevote: { baseMs: c.voteTimeoutMs, deltaMs: c.timeoutDeltaMs },
    precommit: { baseMs: c.voteTimeoutMs, deltaMs: c.timeoutDeltaMs },
  };
}
