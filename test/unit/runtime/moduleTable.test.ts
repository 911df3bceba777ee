import { describe, expect, it } from "vitest";
import {
  type EngineModule,
  ModuleTable,
  Registry,
  RuntimeError,
  Supervisor,
} from "../../../src/runtime";

/** A counter whose replies say which code computed them: `${tag}:${count}`. */
function counter(
  tag: string,
  o: { codeChange?: EngineModule<number>["codeChange"]; crashOn?: string } = {},
): EngineModule<number> {
  return {
    name: "counter",
    version: tag,
    init: () => 0,
    handleCall(msg, _from, s) {
      if (msg === o.crashOn) throw new Error("injected crash");
      return { reply: `${tag}:${s + 1}`, state: s + 1 };
    },
    ...(o.codeChange ? { codeChange: o.codeChange } : {}),
  };
}

describe("ModuleTable", () => {
  it("start() runs the current module and upgrade() changes every engine running it, state converted, queued calls kept", async () => {
    const table = new ModuleTable([counter("v1")]);
    const chainA = new Registry();
    const chainB = new Registry();
    const a = await table.start("counter", undefined, { registry: chainA });
    const b = await table.start("counter", undefined, { registry: chainB, name: "counter@b" });
    await a.call("x");
    const upgrading = table.upgrade([
      { name: "counter", module: counter("v2", { codeChange: (_from, s) => (s as number) * 10 }) },
    ]);
    const queued = a.call("y");
    const records = await upgrading;
    expect(records.map((r) => [r.name, r.from, r.to, r.engines])).toEqual([
      ["counter", "v1", "v2", ["counter", "counter@b"]],
    ]);
    // Queued before the upgrade, handled after it by the new code on the converted state.
    expect(await queued).toBe("v2:11");
    expect(await b.call("z")).toBe("v2:1");
    expect(table.versions()).toEqual([{ name: "counter", version: "v2" }]);
    await a.stop();
    await b.stop();
    expect(table.instances("counter")).toEqual([]);
  });

  it("a supervisor restarting a crashed engine after an upgrade starts the new code", async () => {
    const table = new ModuleTable([counter("v1")]);
    const registry = new Registry();
    const sup = await Supervisor.start({
      name: "s",
      strategy: "one_for_one",
      children: [{ id: "counter", start: () => table.start("counter", undefined, { registry }) }],
    });
    expect(await registry.get("counter").call("x")).toBe("v1:1");
    await table.upgrade([{ name: "counter", module: counter("v2", { crashOn: "crash" }) }]);
    expect(await registry.get("counter").call("x")).toBe("v2:2");
    const crashed = registry.get("counter");
    await expect(crashed.call("crash")).rejects.toThrow(/injected crash/);
    await waitFor(
      () => registry.lookup("counter") !== undefined && registry.lookup("counter") !== crashed,
    );
    // Restarted with fresh state, and by the new code: the old code has no "v2" to say.
    expect(await registry.get("counter").call("x")).toBe("v2:1");
    expect(sup.restarts).toBe(1);
    await sup.stop();
  });

  it("puts every engine and the table back on the old module when one codeChange throws", async () => {
    const other: EngineModule<number> = { ...counter("w1"), name: "other" };
    const table = new ModuleTable([counter("v1"), other]);
    const a = await table.start("counter", undefined);
    const o = await table.start("other", undefined);
    await a.call("x");
    const failing = {
      ...counter("w2", {
        codeChange: () => {
          throw new Error("boom");
        },
      }),
      name: "other",
    };
    const upgrade = table.upgrade([
      { name: "counter", module: counter("v2", { codeChange: () => 99 }) },
      { name: "other", module: failing },
    ]);
    await expect(upgrade).rejects.toThrow(/boom/);
    await expect(upgrade).rejects.toMatchObject({ type: { code: "UPGRADE_FAILED" } });
    expect(await a.call("x")).toBe("v1:2");
    expect(await o.call("x")).toBe("w1:1");
    expect(table.versions().map((v) => v.version)).toEqual(["v1", "w1"]);
    await a.stop();
    await o.stop();
  });

  it("an engine upgrading its own module changes right after the message in flight", async () => {
    const table = new ModuleTable();
    const v2 = counter("v2", { codeChange: (_f, s) => (s as number) + 100 });
    const self: EngineModule<number> = {
      name: "counter",
      version: "v1",
      init: () => 0,
      async handleCall(msg, _from, s) {
        if (msg === "upgrade")
          await table.upgrade([{ name: "counter", module: v2 }], { self: "counter" });
        return { reply: `v1:${s + 1}`, state: s + 1 };
      },
    };
    table.provide([self]);
    const e = await table.start("counter", undefined);
    const upgrading = e.call("upgrade");
    const after = e.call("after");
    expect(await upgrading).toBe("v1:1");
    // Queued behind the upgrade: handled by the new code, on the converted state.
    expect(await after).toBe("v2:102");
    expect(e.module).toBe(v2);
    await e.stop();
  });

  it("when its own codeChange throws, a self-upgrading engine keeps its old code and hears why", async () => {
    const table = new ModuleTable();
    const failed: unknown[] = [];
    const bad = counter("v2", {
      codeChange: () => {
        throw new Error("cannot convert");
      },
    });
    const self: EngineModule<number> = {
      name: "counter",
      version: "v1",
      init: () => 0,
      async handleCall(msg, _from, s) {
        if (msg === "upgrade") {
          await table.upgrade([{ name: "counter", module: bad }], {
            self: "counter",
            onSelfFailed: (err) => failed.push(err),
          });
        }
        return { reply: `v1:${s + 1}`, state: s + 1 };
      },
    };
    table.provide([self]);
    const e = await table.start("counter", undefined);
    await e.call("upgrade");
    expect(await e.call("x")).toBe("v1:2");
    expect(String(failed[0])).toMatch(/cannot convert/);
    expect(table.module("counter")).toBe(self);
    await e.stop();
  });

  it("an engine whose init finishes during an upgrade comes up on the new code", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: EngineModule<number> = {
      ...counter("v1"),
      init: async () => {
        await gate;
        return 0;
      },
    };
    const table = new ModuleTable([slow]);
    const starting = table.start("counter", undefined);
    await table.upgrade([{ name: "counter", module: counter("v2") }]);
    release();
    const e = await starting;
    expect(await e.call("x")).toBe("v2:1");
    await e.stop();
  });

  it("refuses to start or upgrade a module it does not have, naming it", async () => {
    const table = new ModuleTable();
    await expect(table.start("ghost", undefined)).rejects.toThrow(
      "Cannot start an engine of module ghost: the module table has no such module",
    );
    await expect(table.upgrade([{ name: "ghost", module: counter("v2") }])).rejects.toBeInstanceOf(
      RuntimeError,
    );
  });
});

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("ModuleTable scopes (one chain's upgrade at its own height)", () => {
  it("an upgrade scoped to one chain changes that chain's engines only, until an unscoped one", async () => {
    const table = new ModuleTable([counter("v1")]);
    const a = await table.start("counter", undefined, { scope: "a" });
    const b = await table.start("counter", undefined, { scope: "b", name: "counter@b" });
    await table.upgrade([{ name: "counter", module: counter("v2"), scope: "a" }]);
    expect(await a.call("x")).toBe("v2:1");
    expect(await b.call("x")).toBe("v1:1");
    expect(table.versions("a")).toEqual([{ name: "counter", version: "v2" }]);
    expect(table.versions("b")).toEqual([{ name: "counter", version: "v1" }]);
    // A restart of chain b's engine still starts chain b's code.
    const b2 = await table.start("counter", undefined, { scope: "b", name: "counter@b2" });
    expect(await b2.call("x")).toBe("v1:1");
    await table.upgrade([{ name: "counter", module: counter("v3") }]);
    expect(await a.call("x")).toBe("v3:2");
    expect(await b.call("x")).toBe("v3:2");
    expect(table.module("counter", "a").version).toBe("v3");
    for (const e of [a, b, b2]) await e.stop();
  });
});

describe("ModuleTable.restart() (the restart instruction)", () => {
  it("ends each engine of the module so its supervisor starts it on the new code with fresh state", async () => {
    const table = new ModuleTable([counter("v1")]);
    const registry = new Registry();
    const sup = await Supervisor.start({
      name: "s",
      strategy: "one_for_one",
      children: [
        {
          id: "counter",
          restart: "transient",
          start: () => table.start("counter", undefined, { registry }),
        },
      ],
    });
    const first = registry.get("counter");
    await first.call("x");
    await first.call("x");
    const records = table.restart([{ name: "counter", module: counter("v2") }]);
    expect(records.map((r) => [r.from, r.to, r.engines])).toEqual([["v1", "v2", ["counter"]]]);
    await waitFor(
      () => registry.lookup("counter") !== undefined && registry.lookup("counter") !== first,
    );
    // No codeChange ran: the state is the new init's, and the code is the new module's.
    expect(await registry.get("counter").call("x")).toBe("v2:1");
    await sup.stop();
  });
});
