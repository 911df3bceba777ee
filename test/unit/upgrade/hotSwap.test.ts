import { describe, expect, it } from "vitest";
import { Engine, type EngineModule } from "../../../src/runtime";
import { hotSwap } from "../../../src/upgrade";

const counter = (
  version: string,
  codeChange?: EngineModule<number>["codeChange"],
): EngineModule<number> => ({
  name: "c",
  version,
  init: () => 0,
  handleCall: (_m, _f, s) => ({ reply: `${version}:${s + 1}`, state: s + 1 }),
  ...(codeChange ? { codeChange } : {}),
});

async function table() {
  const a = await Engine.start({ ...counter("1"), name: "a" }, undefined);
  const b = await Engine.start({ ...counter("1"), name: "b" }, undefined);
  const engines = new Map<string, Engine<unknown>>([
    ["a", a as Engine<unknown>],
    ["b", b as Engine<unknown>],
  ]);
  return { a, b, lookup: (n: string) => engines.get(n) };
}

describe("hotSwap()", () => {
  it("swaps every planned engine, converting its state, without losing queued calls", async () => {
    const t = await table();
    await t.a.call("x");
    const queued = t.a.call("y");
    const records = await hotSwap(
      t,
      [{ name: "a" }, { name: "b" }],
      {
        a: { ...counter("2", (_f, s) => (s as number) * 10), name: "a" },
        b: { ...counter("2"), name: "b" },
      },
      { version: "2.0.0" },
    );
    expect(records.map((r) => `${r.name} ${r.from}->${r.to}`)).toEqual(["a 1->2", "b 1->2"]);
    // Queued before the swap, handled after it by the new code on the converted state.
    expect(await queued).toBe("2:11");
    expect(await t.a.call("z")).toBe("2:12");
    await t.a.stop();
    await t.b.stop();
  });

  it("puts every engine back on its old module and state when one codeChange throws", async () => {
    const t = await table();
    await t.a.call("x");
    await expect(
      hotSwap(
        t,
        [{ name: "a" }, { name: "b" }],
        {
          a: { ...counter("2", () => 99), name: "a" },
          b: {
            ...counter("2", () => {
              throw new Error("boom");
            }),
            name: "b",
          },
        },
        { version: "2.0.0" },
      ),
    ).rejects.toThrow(/Cannot apply release 2.0.0: .*boom; every engine is back on its old code/);
    expect(t.a.version).toBe("1");
    expect(t.b.version).toBe("1");
    expect(await t.a.call("y")).toBe("1:2");
    expect(t.a.status).toBe("running");
    await t.a.stop();
    await t.b.stop();
  });
});
