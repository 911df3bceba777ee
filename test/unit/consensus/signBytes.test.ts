import { describe, expect, it } from "vitest";
import { CONSENSUS_DOMAIN_TAG, type ConsensusMessage, signBytes } from "../../../src/consensus";

const hex = (m: ConsensusMessage) => Buffer.from(signBytes(m)).toString("hex");
const TAG_HEX = Buffer.from(`${CONSENSUS_DOMAIN_TAG}\0`).toString("hex");
/** tag ‖ type ‖ str(chainId) ‖ height ‖ round ‖ body ‖ str(signer), in hex. */
const vector = (...fields: string[]) => TAG_HEX + fields.join("");

const proposal: ConsensusMessage = {
  type: "proposal",
  chainId: "main",
  height: 7,
  round: 2,
  value: { id: "ab12", block: { anything: [1, 2, 3] } },
  validRound: 1,
  proposer: "v1",
};
const precommitNil: ConsensusMessage = {
  type: "precommit",
  chainId: "main",
  height: 7,
  round: 2,
  valueId: null,
  voter: "v2",
};

describe("signBytes()", () => {
  // Fixed vectors: a change here invalidates every stored certificate. Do not update them
  // to make a test pass; bump CONSENSUS_DOMAIN_TAG's version instead.
  it.each([
    {
      name: "proposal",
      message: proposal,
      bytes: vector(
        "01",
        "00046d61696e",
        "0000000000000007",
        "00000002",
        "000461623132",
        "00000002",
        "00027631",
      ),
    },
    {
      name: "nil precommit",
      message: precommitNil,
      bytes: vector("03", "00046d61696e", "0000000000000007", "00000002", "00", "00027632"),
    },
    {
      name: "prevote at a height above 2^32",
      message: { ...precommitNil, type: "prevote", height: 2 ** 40, round: 0, valueId: "ab12" },
      bytes: vector(
        "02",
        "00046d61696e",
        "0000010000000000",
        "00000000",
        "01000461623132",
        "00027632",
      ),
    },
  ] as const)("is stable for a $name", ({ message, bytes }) => {
    expect(hex(message)).toBe(bytes);
  });

  it("starts with the consensus domain tag", () => {
    expect(hex(proposal).startsWith(Buffer.from("anode/consensus/v1\0").toString("hex"))).toBe(
      true,
    );
  });

  it("does not cover the block, only its id", () => {
    const other = { ...proposal, value: { id: "ab12", block: "different" } } as ConsensusMessage;
    expect(hex(other)).toBe(hex(proposal));
  });

  it.each([
    { field: "chainId", change: { chainId: "mainx" } },
    { field: "height", change: { height: 8 } },
    { field: "round", change: { round: 3 } },
    { field: "valueId", change: { valueId: "" } },
    { field: "type", change: { type: "prevote" } },
    { field: "voter", change: { voter: "v3" } },
  ])("changes with the vote's $field", ({ change }) => {
    expect(hex({ ...precommitNil, ...change } as ConsensusMessage)).not.toBe(hex(precommitNil));
  });

  it("keeps length prefixes, so fields cannot run into each other", () => {
    const a = { ...precommitNil, chainId: "ab", voter: "c" } as ConsensusMessage;
    const b = { ...precommitNil, chainId: "a", voter: "bc" } as ConsensusMessage;
    expect(hex(a)).not.toBe(hex(b));
  });
});
