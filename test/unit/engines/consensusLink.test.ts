import { describe, expect, it } from "vitest";
import {
  activationHalt,
  parseActivationCast,
  supersedes,
} from "../../../src/engines/consensus/activation";
import { describeMismatch, linkMismatch } from "../../../src/engines/consensus/chainLink";

const own = { parent: "a".repeat(64), stateRoot: "b".repeat(64) };

describe("linkMismatch", () => {
  it.each([
    ["extends the chain", { ...own }, undefined],
    [
      "names another root",
      { ...own, stateRoot: "c".repeat(64) },
      { field: "stateRoot", block: "c".repeat(64), own: own.stateRoot },
    ],
    [
      "names another parent",
      { ...own, parent: "d".repeat(64) },
      { field: "parent", block: "d".repeat(64), own: own.parent },
    ],
    [
      "names both: the root is reported",
      { parent: "d".repeat(64), stateRoot: "c".repeat(64) },
      { field: "stateRoot", block: "c".repeat(64), own: own.stateRoot },
    ],
    ["is from consensus 1.0.0 (no links: it stands on its certificate)", {}, undefined],
  ])("a block that %s", (_name, block, expected) => {
    expect(linkMismatch(block, own)).toEqual(expected);
  });

  it("describes a mismatch with both values", () => {
    expect(describeMismatch({ field: "stateRoot", block: "X", own: "Y" })).toBe(
      "block says root X, this node computed Y",
    );
    expect(describeMismatch({ field: "parent", block: "X", own: "Y" })).toBe(
      "block says parent X, this node has Y",
    );
  });
});

describe("parseActivationCast", () => {
  it.each([
    [{ type: "scheduleActivation", version: "1.2.0", height: 2 }, "scheduleActivation"],
    [{ type: "activated", version: "1.2.0", height: 9 }, "activated"],
    [{ type: "cancelActivation", version: "1.2.0" }, "cancelActivation"],
  ])("reads %j", (msg, type) => {
    expect(parseActivationCast(msg)?.type).toBe(type);
  });

  it.each([
    ["gossip", { type: "gossip", body: {} }],
    [
      "height 1 (nothing before it to stand on)",
      { type: "scheduleActivation", version: "1", height: 1 },
    ],
    ["a fractional height", { type: "scheduleActivation", version: "1", height: 2.5 }],
    ["no version", { type: "activated", height: 4 }],
    ["an empty version", { type: "cancelActivation", version: "" }],
    ["null", null],
  ])("ignores %s", (_name, msg) => {
    expect(parseActivationCast(msg)).toBeUndefined();
  });

  it("says in one line why the chain waits", () => {
    expect(activationHalt({ version: "1.2.0", height: 7, state: "waiting" })).toBe(
      "halted at height 7: needs release 1.2.0 (upgrade needed)",
    );
  });
});

describe("supersedes", () => {
  it.each([
    ["nothing scheduled", "1.0.0", undefined, true],
    ["the same release (another height)", "1.0.0", "1.0.0", true],
    ["a newer release", "1.1.0", "1.0.0", true],
    ["an older release (a re-send of one still pending)", "1.0.0", "1.1.0", false],
    ["a pre-release of the current", "1.1.0-rc.1", "1.1.0", false],
    ["a version that is not semver: the latest wins", "next", "1.1.0", true],
  ])("%s", (_name, next, current, expected) => {
    expect(
      supersedes({ version: next }, current === undefined ? undefined : { version: current }),
    ).toBe(expected);
  });
});
