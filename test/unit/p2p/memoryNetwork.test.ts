import { describe, expect, it } from "vitest";
import { type Connection, MemoryNetwork, type TraceEvent, VirtualClock } from "../../../src/p2p";

function pair(net: MemoryNetwork, from: string, to: string) {
  const got: { at: number; data: number[] }[] = [];
  const closed: { code: number; reason: string }[] = [];
  let server: Connection | undefined;
  void net.transport(to).listen(`${to}:1`, (c) => {
    server = c;
    c.setHandlers({ onMessage: (d) => got.push({ at: net.clock.now(), data: [...d] }) });
  });
  const client = net.transport(from).dial(`${to}:1`);
  let opened = false;
  client.setHandlers({
    onOpen: () => (opened = true),
    onClose: (code, reason) => closed.push({ code, reason }),
  });
  return { client, got, closed, opened: () => opened, server: () => server };
}

async function settle(): Promise<void> {
  await Promise.resolve();
}

describe("VirtualClock", () => {
  it("runs events in time order, then insertion order, and cancels", () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push("b"), 10);
    clock.setTimeout(() => seen.push("a"), 5);
    clock.setTimeout(() => seen.push("c"), 10);
    const cancel = clock.setTimeout(() => seen.push("x"), 7);
    cancel();
    cancel();
    expect(clock.pending).toBe(3);
    expect(clock.run()).toEqual({ stopped: "idle", events: 3, now: 10 });
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("stops at a deadline, a condition or an event bound", () => {
    const clock = new VirtualClock(100);
    let n = 0;
    const tick = (): void => {
      n += 1;
      clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    expect(clock.advance(55)).toMatchObject({ stopped: "deadline", events: 5, now: 155 });
    expect(clock.run({ until: () => n === 8 })).toMatchObject({ stopped: "done", events: 3 });
    expect(clock.run({ maxEvents: 2 })).toMatchObject({ stopped: "max-events", events: 2 });
    expect(clock.step()).toBe(true);
  });

  it("a scope cancels all of its own timers and nothing else", () => {
    const clock = new VirtualClock();
    const scope = clock.scope();
    const seen: string[] = [];
    scope.setTimeout(() => seen.push("scoped"), 5);
    const cancel = scope.setTimeout(() => seen.push("cancelled"), 5);
    cancel();
    clock.setTimeout(() => seen.push("global"), 5);
    scope.cancelAll();
    clock.run();
    expect(seen).toEqual(["global"]);
    expect(scope.now()).toBe(5);
    expect(clock.step()).toBe(false);
  });
});

describe("MemoryNetwork", () => {
  it("applies per-link latency and keeps a stream in order despite jitter", async () => {
    const net = new MemoryNetwork({ seed: 1, link: { latencyMs: 10, jitterMs: 50 } });
    net.setLink("a", "b", { latencyMs: 100 });
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run({ until: p.opened });
    expect(net.clock.now()).toBeGreaterThanOrEqual(200);
    for (let i = 0; i < 20; i += 1) p.client.send(Uint8Array.of(i));
    net.clock.run();
    expect(p.got.map((g) => g.data[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("drops, duplicates and reorders only faultable messages", async () => {
    const net = new MemoryNetwork({
      seed: 2,
      link: {
        latencyMs: 1,
        jitterMs: 100,
        dropRate: 0.3,
        duplicateRate: 0.3,
        reorder: true,
        faultable: (d) => d[0] === 1,
      },
    });
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run({ until: p.opened });
    for (let i = 0; i < 200; i += 1) p.client.send(Uint8Array.of(1, i));
    for (let i = 0; i < 50; i += 1) p.client.send(Uint8Array.of(2, i));
    net.clock.run();
    const faulty = p.got.filter((g) => g.data[0] === 1).map((g) => g.data[1]);
    const steady = p.got.filter((g) => g.data[0] === 2).map((g) => g.data[1]);
    expect(steady).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(faulty).size).toBeLessThan(200);
    expect(faulty.length).toBeGreaterThan(new Set(faulty).size);
    expect(faulty).not.toEqual([...faulty].sort((x, y) => (x as number) - (y as number)));
    expect(net.stats.dropped).toBeGreaterThan(0);
    expect(net.stats.duplicated).toBeGreaterThan(0);
    expect(p.client.bufferedAmount).toBe(0);
  });

  it("holds data across a partition and delivers it, in order, after the heal", async () => {
    const net = new MemoryNetwork({ seed: 3 });
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run({ until: p.opened });
    const cut = net.partition(["a"], ["b"]);
    expect(net.blocked("b", "a")).toBe(true);
    expect(net.blocked("a", "c")).toBe(false);
    for (let i = 0; i < 5; i += 1) p.client.send(Uint8Array.of(i));
    net.clock.advance(1_000);
    expect(p.got).toEqual([]);
    expect(p.client.bufferedAmount).toBe(5);
    cut.heal();
    cut.heal();
    net.clock.run();
    expect(p.got.map((g) => g.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(net.stats.held).toBe(5);
  });

  it("a dial into a partition times out; healAll() lets the next one through", async () => {
    const net = new MemoryNetwork({ seed: 4, connectTimeoutMs: 2_000 });
    net.partition(["a"]);
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run();
    expect(p.closed).toEqual([{ code: 1006, reason: "connection timed out" }]);
    expect(net.clock.now()).toBe(2_000);
    net.healAll();
    const q = net.transport("a").dial("b:1");
    let opened = false;
    q.setHandlers({ onOpen: () => (opened = true) });
    net.clock.run();
    expect(opened).toBe(true);
  });

  it("a crash silences the host and drops its peers' connections with 1006", async () => {
    const trace: TraceEvent[] = [];
    const net = new MemoryNetwork({ seed: 5, onTrace: (e) => trace.push(e) });
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run({ until: p.opened });
    const serverClosed: number[] = [];
    p.server()?.setHandlers({ onClose: (code) => serverClosed.push(code) });
    net.crash("a");
    net.clock.run();
    expect(serverClosed).toEqual([1006]);
    expect(p.closed).toEqual([]);
    expect(trace.map((e) => e.kind)).toEqual(["accept", "open", "lost"]);
    const again = net.transport("c").dial("b:1");
    let opened = false;
    again.setHandlers({ onOpen: () => (opened = true) });
    net.clock.run();
    expect(opened).toBe(true);
    net.crash("b");
    const refused: string[] = [];
    net
      .transport("c")
      .dial("b:1")
      .setHandlers({ onClose: (_c, reason) => refused.push(reason) });
    net.clock.run();
    expect(refused).toEqual(["connection refused"]);
  });

  it("close() checks its code and reason as ws does, and both ends closing at once is fine", async () => {
    const net = new MemoryNetwork({ seed: 6 });
    const p = pair(net, "a", "b");
    await settle();
    net.clock.run({ until: p.opened });
    expect(() => p.client.close(1006, "x")).toThrow(/Cannot close connection/);
    expect(() => p.client.close(4000, "x".repeat(124))).toThrow(/Cannot close connection/);
    const serverClosed: { code: number; reason: string }[] = [];
    p.server()?.setHandlers({ onClose: (code, reason) => serverClosed.push({ code, reason }) });
    p.client.close(4001, "mine");
    p.server()?.close(4002, "theirs");
    net.clock.run();
    expect(p.closed).toEqual([{ code: 4001, reason: "mine" }]);
    expect(serverClosed).toEqual([{ code: 4002, reason: "theirs" }]);
  });

  it("refuses to listen on another host's address or a taken one", async () => {
    const net = new MemoryNetwork();
    await expect(net.transport("a").listen("b:1", () => {})).rejects.toThrow(
      /not an address of host a/,
    );
    const l = await net.transport("a").listen("a:0", () => {});
    expect(l.address).toMatch(/^a:\d+$/);
    await expect(net.transport("a").listen(l.address, () => {})).rejects.toThrow(/address in use/);
    await l.close();
    await expect(net.transport("a").listen(l.address, () => {})).resolves.toBeDefined();
  });
});
