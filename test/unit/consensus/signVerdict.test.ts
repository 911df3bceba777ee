import { describe, expect, it } from "vitest";
import { type ConsensusMessage, signVerdict } from "../../../src/consensus";

const vote = (
  type: "prevote" | "precommit",
  height: number,
  round: number,
  valueId: string | null = null,
): ConsensusMessage => ({ type, chainId: "c", height, round, valueId, voter: "v" });
const proposal = (height: number, round: number, id: string): ConsensusMessage => ({
  type: "proposal",
  chainId: "c",
  height,
  round,
  value: { id, block: new Uint8Array([1]) },
  validRound: -1,
  proposer: "v",
});

describe("signVerdict", () => {
  it.each<[string, ConsensusMessage | undefined, ConsensusMessage, string]>([
    ["anything when nothing was signed", undefined, vote("prevote", 1, 0), "sign"],
    ["a later step", vote("prevote", 5, 0), vote("precommit", 5, 0), "sign"],
    ["a later round", vote("precommit", 5, 0), proposal(5, 1, "b"), "sign"],
    ["a later height", vote("precommit", 5, 3), vote("prevote", 6, 0), "sign"],
    ["the very message again", vote("prevote", 5, 0, "a"), vote("prevote", 5, 0, "a"), "resend"],
    ["the same proposal again", proposal(5, 0, "a"), proposal(5, 0, "a"), "resend"],
    ["another vote at the position", vote("prevote", 5, 0, "a"), vote("prevote", 5, 0), "refuse"],
    ["another proposal at the position", proposal(5, 0, "a"), proposal(5, 0, "b"), "refuse"],
    ["an earlier step", vote("precommit", 5, 0), vote("prevote", 5, 0), "refuse"],
    ["an earlier round", vote("prevote", 5, 1), vote("precommit", 5, 0), "refuse"],
    ["an earlier height", vote("prevote", 5, 0), vote("precommit", 4, 9), "refuse"],
  ])("%s", (_, last, next, verdict) => {
    expect(signVerdict(last, next)).toBe(verdict);
  });
});
