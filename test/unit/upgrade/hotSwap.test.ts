import { describe, expect, it } from "vitest";
import { type EngineModule, ModuleTable } from "../../../src/runtime";
import { hotSwap, stillRunning } from "../../../src/upgrade";

const counter = (
  name: string,
  version: string,
  codeChange?: EngineModule<number>["codeChange"],
): EngineModule<number> => ({
  name,
  version,
  init: () => 0,
  handleCall: (_m, _f, s) => ({ reply: `${version}:${s + 1}`, state: s + 1 }),
  ...(codeChange ? { codeChange } : {}),
});

async function world() {
  const table = new ModuleTable([counter("a", "1"), counter("b", "1")]);
  const a = await table.start("a", undefined);
  const b = await table.start("b", undefined);
  return { table, a, b };
}

describe("hotSwap()", () => {
  it("swaps every planned module through the module table, converting state", async () => {
    const { table, a, b } = await world();
    await a.call("x");
    const records = await hotSwap(
      table,
      [{ name: "a" }, { name: "b" }],
      { a: counter("a", "2", (_f, s) => (s as number) * 10), b: counter("b", "2") },
      { version: "2.0.0" },
    );
    expect(records.map((r) => `${r.name} ${r.from}->${r.to}`)).toEqual(["a 1->2", "b 1->2"]);
    expect(await a.call("z")).toBe("2:11");
    expect(records.every((r) => stillRunning(table, r))).toBe(true);
    await a.stop();
    await b.stop();
  });

  it("says which release failed and that every engine is back on its old code", async () => {
    const { table, a, b } = await world();
    await a.call("x");
    const boom = counter("b", "2", () => {
      throw new Error("boom");
    });
    await expect(
      hotSwap(
        table,
        [{ name: "a" }, { name: "b" }],
        { a: counter("a", "2"), b: boom },
        { version: "2.0.0" },
      ),
    ).rejects.toThrow(/Cannot apply release 2.0.0: .*boom; every engine is back on its old code/);
    expect(await a.call("y")).toBe("1:2");
    expect(a.status).toBe("running");
    await a.stop();
    await b.stop();
  });

  it("refuses a plan naming a module the bundle does not bring, changing nothing", async () => {
    const { table, a, b } = await world();
    await expect(
      hotSwap(
        table,
        [{ name: "a" }, { name: "b" }],
        { a: counter("a", "2") },
        { version: "2.0.0" },
      ),
    ).rejects.toThrow(/the bundle has no module for b/);
    expect(await a.call("y")).toBe("1:1");
    await a.stop();
    await b.stop();
  });

  it("stillRunning() is false once something replaced a swapped module behind the table", async () => {
    const { table, a, b } = await world();
    const [record] = await hotSwap(
      table,
      [{ name: "a" }],
      { a: counter("a", "2") },
      { version: "2" },
    );
    if (record === undefined) throw new Error("no record");
    await a.suspend();
    await a.changeCode(counter("a", "3"));
    a.resume();
    expect(stillRunning(table, record)).toBe(false);
    await a.stop();
    await b.stop();
  });
});
