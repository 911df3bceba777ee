import { afterEach, describe, expect, it } from "vitest";
import {
  BrokerClient,
  type BrokerDelivery,
  type Engine,
  type EngineModule,
  FilterCatalog,
  hasCodeOf,
  isBrokerDelivery,
  pubsubSpec,
  Registry,
  SubscriptionTable,
  type Supervisor,
  spawn,
  standardFilters,
  waitFor,
} from "./helpers";

/** A subscriber engine that records what it receives. */
const sink: EngineModule<BrokerDelivery[], void> = {
  name: "sink",
  version: "1",
  init: () => [],
  handleInfo: (msg, s) => (isBrokerDelivery(msg) ? [...s, msg] : s),
  handleCall: (_m, _f, s) => ({ reply: s, state: s }),
};

async function setup() {
  const registry = new Registry();
  const table = new SubscriptionTable();
  const catalog = new FilterCatalog(standardFilters());
  const sup = (await pubsubSpec({ registry, table, catalog }).start()) as Supervisor;
  const client = new BrokerClient(registry);
  const sinks: Engine<BrokerDelivery[]>[] = [];
  const addSink = async (name: string) => {
    const e = await spawn(sink, undefined, { registry, name });
    sinks.push(e);
    return e;
  };
  const received = async (e: Engine<BrokerDelivery[]>) => (await e.call("get")) as BrokerDelivery[];
  return { registry, table, sup, client, addSink, received, sinks };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("event broker", () => {
  it("delivers every published event to an unfiltered subscriber", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    const s = await t.addSink("all");
    await t.client.subscribe([], { address: { engine: "all" }, tag: "x" });
    t.client.publish({ topic: "tx.committed", body: { id: 1 } });
    t.client.publish({ topic: "block", body: { height: 1 } });
    await waitFor(() => s.handled >= 2, 2000, "two deliveries");
    const got = await t.received(s);
    expect(got.map((d) => d.event.topic)).toEqual(["tx.committed", "block"]);
    expect(got[0]?.tag).toBe("x");
  });

  it("a chain of filters passes only events matching every link", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    const s = await t.addSink("s");
    await t.client.subscribe(
      [
        { name: "topic", params: "tx.*" },
        { name: "field", params: { path: "status.ok", equals: true } },
      ],
      { address: { engine: "s" } },
    );
    t.client.publish({ topic: "tx.committed", body: { status: { ok: true } } });
    t.client.publish({ topic: "tx.committed", body: { status: { ok: false } } });
    t.client.publish({ topic: "block", body: { status: { ok: true } } });
    t.client.publish({ topic: "tx.executed", body: { status: { ok: true } } });
    await waitFor(() => s.handled >= 2, 2000, "deliveries");
    await new Promise((r) => setTimeout(r, 20));
    const got = await t.received(s);
    expect(got.map((d) => d.event.topic)).toEqual(["tx.committed", "tx.executed"]);
  });

  it("identical chains share one filter agent, prefixes share theirs, and agents stop with their last subscriber", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    await t.addSink("a");
    await t.addSink("b");
    const topic = { name: "topic", params: ["block"] };
    const field = { name: "field", params: { path: "h", equals: 2 } };
    await t.client.subscribe([topic], { address: { engine: "a" } });
    await t.client.subscribe([topic], { address: { engine: "b" } });
    await t.client.subscribe([topic, field], { address: { engine: "b" } });
    const agents = await t.client.agents();
    expect(agents).toHaveLength(2);
    expect(t.registry.names().filter((n) => n.startsWith("filter:"))).toHaveLength(2);
    await t.client.unsubscribe([topic, field], { address: { engine: "b" } });
    expect(await t.client.agents()).toHaveLength(1);
    await t.client.unsubscribe([topic], { address: { engine: "a" } });
    expect(await t.client.agents()).toHaveLength(1);
    await t.client.unsubscribe([topic], { address: { engine: "b" } });
    expect(await t.client.agents()).toHaveLength(0);
    expect(t.registry.names().filter((n) => n.startsWith("filter:"))).toHaveLength(0);
  });

  it("rejects an unknown filter kind without starting anything", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    const err = await t.client
      .subscribe([{ name: "nope" }], { address: { engine: "x" } })
      .catch((e: unknown) => e);
    expect(hasCodeOf(err, "NO_SUCH_ENGINE")).toBe(true);
    expect((err as Error).message).toContain('unknown filter "nope"');
    expect(await t.client.agents()).toEqual([]);
  });

  it("subscriptions survive a crash that restarts the whole pubsub subtree", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    const s = await t.addSink("s");
    await t.client.subscribe([{ name: "topic", params: "block" }], { address: { engine: "s" } });
    const broker = t.registry.get("broker");
    // A malformed internal message makes the filter agent's predicate throw.
    const agentName = t.registry.names().find((n) => n.startsWith("filter:")) as string;
    t.registry.get(agentName).cast({ event: { topic: 42 } });
    await waitFor(
      () =>
        t.registry.lookup(agentName) !== undefined && t.registry.lookup(agentName)?.handled === 0,
      2000,
      "agent restarted",
    );
    expect(broker.status).toBe("running");
    t.client.publish({ topic: "block", body: 1 });
    await waitFor(() => s.handled >= 1, 2000, "delivery after restart");
    await t.client.unsubscribeEngine("s");
    expect(await t.client.agents()).toEqual([]);
  });

  it("a crash of the broker restarts the subtree and filter agents are rebuilt from the table", async () => {
    const t = await setup();
    cleanup = () => t.sup.stop();
    const s = await t.addSink("s");
    await t.client.subscribe([{ name: "topic", params: "block" }], { address: { engine: "s" } });
    const oldBroker = t.registry.get("broker");
    await oldBroker.suspend();
    await oldBroker.changeCode({
      ...oldBroker.module,
      handleCast: () => {
        throw new Error("bad code");
      },
    });
    oldBroker.resume();
    oldBroker.cast({ type: "publish", event: { topic: "block" } });
    await waitFor(
      () => t.registry.lookup("broker") !== undefined && t.registry.lookup("broker") !== oldBroker,
      2000,
      "broker restarted",
    );
    await waitFor(
      () => t.registry.names().some((n) => n.startsWith("filter:")),
      2000,
      "agent rebuilt",
    );
    t.client.publish({ topic: "block", body: 2 });
    await waitFor(() => s.handled >= 1, 2000, "delivery after subtree restart");
    expect((await t.received(s))[0]?.event.body).toBe(2);
  });
});

describe("Registry", () => {
  it("refuses a name held by a running engine and frees it when the engine exits", async () => {
    const registry = new Registry();
    const a = await spawn(sink, undefined, { registry, name: "n" });
    const err = await spawn(sink, undefined, { registry, name: "n" }).catch((e: unknown) => e);
    expect(hasCodeOf(err, "NAME_TAKEN")).toBe(true);
    expect(registry.versions()).toEqual([
      expect.objectContaining({ name: "n", version: "1", status: "running" }),
    ]);
    await a.stop();
    expect(registry.lookup("n")).toBeUndefined();
    expect(() => registry.get("n")).toThrow(/not running/);
    const callErr = await registry.call({ engine: "n" }, "x").catch((e: unknown) => e);
    expect(hasCodeOf(callErr, "NO_SUCH_ENGINE")).toBe(true);
    registry.cast({ engine: "n" }, "dropped");
    registry.send({ engine: "n" }, "dropped");
  });
});

describe("FilterCatalog", () => {
  it("validates parameters of the standard filters", () => {
    const c = new FilterCatalog(standardFilters());
    expect(() => c.predicate({ name: "topic", params: [] })).toThrow(/needs a topic/);
    expect(() => c.predicate({ name: "field", params: {} })).toThrow(/needs params/);
    c.define("all", () => () => true);
    expect(c.names()).toEqual(["all", "field", "topic"]);
    expect(c.predicate({ name: "all" })({ topic: "x" })).toBe(true);
  });
});
