import { describe, expect, it } from "vitest";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";

const n = useCliNode();

describe("anode status", () => {
  it("prints height, state root, mempool, data dir and engines as text", async () => {
    const r = await cli([...n().flags, "status"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^anode \S+ {2}network \S+ {2}pid \d+ {2}up \d+s$/m);
    expect(r.stdout).toMatch(/^height {6}\d+$/m);
    expect(r.stdout).toMatch(/^state root {2}[0-9a-f]+$/m);
    expect(r.stdout).toMatch(/^mempool {5}\d+ pending, \d+ in flight, \d+ committed since start$/m);
    expect(r.stdout).toContain(`data        ${n().dataDir}`);
    expect(r.stdout).toMatch(/^engines .*mempool@1\.0\.0/m);
    expect(r.stdout).not.toContain("filter:");
  });

  it("names the release keys the node takes releases by, --json too", async () => {
    // An in-process node has neither boot nor upgrade.trustedKeys: no keys at all.
    const r = await cli([...n().flags, "status"]);
    expect(r.stdout).toMatch(/^release keys: none, every release is refused$/m);
    const s = JSON.parse((await cli([...n().flags, "--json", "status"])).stdout);
    expect(s.app.trust).toEqual({ source: "compiled", threshold: 1, keys: [] });
  });

  it("--json prints the node's status object", async () => {
    const r = await cli([...n().flags, "--json", "status"]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(s).toMatchObject({ pid: process.pid, dataDir: n().dataDir, restarts: 0 });
    expect(s.storage).toMatchObject({ height: expect.any(Number), root: expect.any(String) });
    expect(s.mempool).toMatchObject({ pending: expect.any(Number) });
  });

  it("colours its output only when the Io allows colour", async () => {
    const plain = await cli([...n().flags, "status"]);
    expect(plain.stdout).not.toContain("\u001b[");
    const coloured = await cli([...n().flags, "status"], { colour: true });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain("\u001b[1manode\u001b[22m");
  });
});
