import { describe, expect, it } from "vitest";
import {
  type DirectMessage,
  Engine,
  type EngineModule,
  Registry,
  Router,
} from "../../../src/runtime";

const echo: EngineModule<number, void> = {
  name: "echo",
  version: "1",
  init: () => 0,
  handleCall: (msg, _f, s) => {
    if (msg === "boom") throw new Error("exploded");
    return { reply: { echoed: msg }, state: s + 1 };
  },
  handleCast: (_m, s) => s + 1,
  handleInfo: (_m, s) => s + 1,
};

/** Two routers wired back to back through an in-memory "link", like two nodes. */
async function pair(access = { callable: new Set(["echo"]), castable: new Set(["echo"]) }) {
  const regA = new Registry();
  const regB = new Registry();
  const a = new Router(regA, "a".repeat(40), access);
  const b = new Router(regB, "b".repeat(40), access);
  const wire: Array<[string, DirectMessage]> = [];
  // Each side hands the message to the other on a later tick, like a socket would.
  const link = (self: Router, other: Router, record: boolean) => ({
    sendDirect(peer: string, msg: DirectMessage): boolean {
      if (peer !== other.selfId) return false;
      if (record) wire.push([peer, msg]);
      queueMicrotask(() => other.deliver(self.selfId, msg));
      return true;
    },
  });
  a.attach(link(a, b, false));
  b.attach(link(b, a, true));
  const engineB = await Engine.start(echo, undefined, { mailer: b });
  regB.register(engineB as Engine<unknown>);
  const engineA = await Engine.start(echo, undefined, { mailer: a });
  regA.register(engineA as Engine<unknown>);
  return { a, b, engineA, engineB, wire };
}

describe("Router", () => {
  it("delivers a call to the local registry when the address has no node or this node's id", async () => {
    const { a, engineA } = await pair();
    expect(await a.call({ engine: "echo" }, 1)).toEqual({ echoed: 1 });
    expect(await a.call({ node: a.selfId, engine: "echo" }, 2)).toEqual({ echoed: 2 });
    a.cast({ engine: "echo" }, "c");
    a.send({ engine: "echo" }, "s");
    await new Promise((r) => setTimeout(r, 5));
    expect(engineA.handled).toBe(4);
  });

  it("carries a call to another node and its reply back, the sender never knowing", async () => {
    const { a, b, engineB, wire } = await pair();
    expect(await a.call({ node: b.selfId, engine: "echo" }, "hi")).toEqual({ echoed: "hi" });
    expect(wire[0]?.[1]).toMatchObject({ kind: "reply", ok: true });
    a.cast({ node: b.selfId, engine: "echo" }, "x");
    a.send({ node: b.selfId, engine: "echo" }, "y");
    await new Promise((r) => setTimeout(r, 5));
    expect(engineB.handled).toBe(3);
  });

  it("returns a remote engine's failure as a REMOTE_ERROR carrying its message", async () => {
    const { a, b } = await pair();
    await expect(a.call({ node: b.selfId, engine: "echo" }, "boom")).rejects.toThrow(/exploded/);
  });

  it("refuses calls to engines other nodes may not reach, and drops such casts", async () => {
    const { a, b } = await pair({ callable: new Set(), castable: new Set() });
    await expect(a.call({ node: b.selfId, engine: "echo" }, 1)).rejects.toThrow(
      /does not accept remote calls/,
    );
    a.cast({ node: b.selfId, engine: "echo" }, 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(b.droppedMessages).toBe(2);
  });

  it("fails fast when the peer is unreachable and times out when no reply comes", async () => {
    const { a, b } = await pair();
    await expect(a.call({ node: "c".repeat(40), engine: "echo" }, 1)).rejects.toMatchObject({
      code: "PEER_UNREACHABLE",
    });
    // A link that accepts the message but never answers.
    a.attach({ sendDirect: () => true });
    await expect(a.call({ node: b.selfId, engine: "echo" }, 1, 30)).rejects.toMatchObject({
      code: "REMOTE_CALL_TIMEOUT",
    });
    a.attach({ sendDirect: () => false });
    a.cast({ node: "c".repeat(40), engine: "echo" }, 1);
    expect(a.droppedMessages).toBe(1);
  });

  it("detach() fails the calls still waiting for a peer", async () => {
    const { a, b } = await pair();
    a.attach({ sendDirect: () => true });
    const pending = a.call({ node: b.selfId, engine: "echo" }, 1, 10_000);
    a.detach();
    await expect(pending).rejects.toMatchObject({ code: "PEER_UNREACHABLE" });
  });
});
