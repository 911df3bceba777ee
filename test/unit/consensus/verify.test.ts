import { describe, expect, it } from "vitest";
import {
  type CommitCertificate,
  type Proposal,
  type SignedVote,
  type Vote,
  verifyCertificate,
  verifyMessage,
} from "../../../src/consensus";
import type { NodeIdentity } from "../../../src/p2p";
import { CHAIN, fixture, identity, sign } from "./fixtures";

// Powers 1, 2, 3, 4 (total 10, quorum needs 7).
const fx = fixture([1, 2, 3, 4]);
const key = (i: number) => fx.keys[i] as NodeIdentity;

function precommit(i: number, change: Partial<Vote> = {}): SignedVote {
  const vote: Vote = {
    type: "precommit",
    chainId: CHAIN,
    height: 5,
    round: 1,
    valueId: "block-5",
    voter: fx.ids[i] as string,
    ...change,
  };
  return sign(vote, key(i));
}

function certificate(precommits: SignedVote[], change: Partial<CommitCertificate> = {}) {
  return { chainId: CHAIN, height: 5, round: 1, valueId: "block-5", precommits, ...change };
}

const expectation = { chain: fx.chain, height: 5, valueId: "block-5" };

describe("verifyCertificate()", () => {
  it("accepts precommits holding more than two thirds of the power", () => {
    expect(verifyCertificate(certificate([precommit(3), precommit(2)]), expectation)).toEqual({
      ok: true,
      power: 7,
    });
  });

  const forged: SignedVote = { ...precommit(3), signature: new Uint8Array(64) };
  const stranger = identity(9);
  const strangerVote = sign({ ...precommit(0).message, voter: stranger.id }, stranger);
  it.each([
    { fault: "wrong-chain", cert: certificate([precommit(3), precommit(2)], { chainId: "other" }) },
    { fault: "wrong-height", cert: certificate([precommit(3), precommit(2)], { height: 6 }) },
    { fault: "wrong-value", cert: certificate([precommit(3), precommit(2)], { valueId: "evil" }) },
    { fault: "insufficient-power", cert: certificate([precommit(3), precommit(1)]) },
    { fault: "insufficient-power", cert: certificate([]) },
    { fault: "duplicate-signer", cert: certificate([precommit(3), precommit(3), precommit(1)]) },
    { fault: "bad-signature", cert: certificate([forged, precommit(2)]) },
    { fault: "unknown-signer", cert: certificate([strangerVote, precommit(3), precommit(2)]) },
    {
      fault: "mismatched-precommit",
      cert: certificate([precommit(3), precommit(2, { round: 0 })]),
    },
    {
      fault: "mismatched-precommit",
      cert: certificate([precommit(3), precommit(2, { valueId: null })]),
    },
    {
      fault: "mismatched-precommit",
      cert: certificate([precommit(3), precommit(2, { height: 4 })]),
    },
    {
      fault: "mismatched-precommit",
      cert: certificate([precommit(3), precommit(2, { chainId: "x" })]),
    },
    {
      fault: "malformed",
      cert: certificate([
        { ...precommit(3), message: { ...precommit(3).message, type: "prevote" } },
      ]),
    },
    { fault: "malformed", cert: certificate(Array.from({ length: 5 }, () => precommit(3))) },
    { fault: "malformed", cert: { ...certificate([]), precommits: "nope" as never } },
  ])("refuses a certificate: $fault", ({ fault, cert }) => {
    expect(verifyCertificate(cert, expectation)).toMatchObject({ ok: false, fault });
  });

  it("a signature over another height does not verify for this one", () => {
    const moved = { ...precommit(3), message: { ...precommit(3).message, height: 6 } };
    const cert = certificate(
      [moved, { ...precommit(2), message: { ...precommit(2).message, height: 6 } }],
      {
        height: 6,
      },
    );
    expect(verifyCertificate(cert, { ...expectation, height: 6 })).toMatchObject({
      ok: false,
      fault: "bad-signature",
    });
  });

  it("uses the verifier it is given", () => {
    const cert = certificate([{ ...precommit(3), signature: new Uint8Array(1) }, precommit(2)]);
    expect(verifyCertificate(cert, { ...expectation, verify: () => true }).ok).toBe(true);
  });
});

describe("verifyMessage()", () => {
  const proposal: Proposal = {
    type: "proposal",
    chainId: CHAIN,
    height: 5,
    round: 1,
    value: { id: "block-5", block: [] },
    validRound: 0,
    proposer: fx.ids[2] as string, // (5 + 1) mod 4
  };

  it("accepts a well-signed proposal from the round's proposer and a vote", () => {
    expect(verifyMessage(sign(proposal, key(2)), fx.chain)).toEqual({ ok: true });
    expect(verifyMessage(precommit(0), fx.chain)).toEqual({ ok: true });
  });

  const stranger = identity(9);
  it.each([
    { fault: "malformed", signed: sign({ ...proposal, validRound: 1 }, key(2)) },
    { fault: "malformed", signed: sign({ ...proposal, validRound: -2 }, key(2)) },
    { fault: "malformed", signed: sign({ ...proposal, height: -1 }, key(2)) },
    { fault: "malformed", signed: sign({ ...proposal, round: 1.5 }, key(2)) },
    {
      fault: "malformed",
      signed: { message: { ...proposal, value: null as never }, signature: new Uint8Array(64) },
    },
    { fault: "malformed", signed: sign({ ...proposal, value: { id: "", block: 0 } }, key(2)) },
    { fault: "malformed", signed: precommit(0, { valueId: "x".repeat(129) }) },
    { fault: "malformed", signed: precommit(0, { voter: "" }) },
    { fault: "malformed", signed: precommit(0, { type: "vote" as never }) },
    { fault: "malformed", signed: precommit(0, { chainId: "c".repeat(65) }) },
    { fault: "malformed", signed: { message: null as never, signature: new Uint8Array(64) } },
    { fault: "malformed", signed: { ...precommit(0), signature: "sig" as never } },
    { fault: "wrong-chain", signed: precommit(0, { chainId: "other" }) },
    {
      fault: "unknown-signer",
      signed: sign({ ...precommit(0).message, voter: stranger.id }, stranger),
    },
    { fault: "not-proposer", signed: sign({ ...proposal, proposer: fx.ids[1] as string }, key(1)) },
    { fault: "bad-signature", signed: { ...precommit(0), signature: precommit(1).signature } },
    {
      fault: "bad-signature",
      signed: { ...sign(proposal, key(2)), message: { ...proposal, validRound: -1 } },
    },
  ])("refuses a message: $fault", ({ fault, signed }) => {
    expect(verifyMessage(signed, fx.chain)).toEqual({ ok: false, fault });
  });
});
