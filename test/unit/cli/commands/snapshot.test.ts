import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { cli } from "../../../support/cliHarness";
import { useCliNode } from "../../../support/cliNode";
import { startTestNode } from "../../../support/testNode";
import { useTempDir } from "../../../support/useTempDir";

const n = useCliNode();
const work = useTempDir("anode-snap-");

const SNAPSHOT_LINE =
  /^(exported|imported) (\S+): height (\d+), (\d+) keys, (\d+) bytes, root ([0-9a-f]+)\n$/;

describe("anode snapshot", () => {
  let height = 0;
  beforeAll(async () => {
    for (const argv of [
      ["--put", "greeting=hello"],
      ["--incr", "count=7"],
    ]) {
      const r = await cli([...n().flags, "--json", "tx", "submit", ...argv, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      height = (JSON.parse(r.stdout) as { status: { height: number } }).status.height;
    }
  });

  it("export writes the state to a file, then import seeds a fresh node that serves it", async () => {
    const file = join(work(), "state.snap");
    const exported = await cli([...n().flags, "snapshot", "export", file]);
    expect(exported.code, exported.stderr).toBe(0);
    const ex = SNAPSHOT_LINE.exec(exported.stdout);
    expect(ex, exported.stdout).not.toBeNull();
    expect(ex?.[2]).toBe(file);
    expect(Number(ex?.[3])).toBe(height);
    expect(Number(ex?.[4])).toBe(2);
    expect(Number(ex?.[5])).toBe(statSync(file).size);

    const fresh = join(work(), "fresh");
    const imported = await cli(["--data-dir", fresh, "snapshot", "import", file]);
    expect(imported.code, imported.stderr).toBe(0);
    const im = SNAPSHOT_LINE.exec(imported.stdout);
    expect(im?.[1]).toBe("imported");
    expect(im?.slice(2)).toEqual(ex?.slice(2));

    const node = await startTestNode(fresh);
    try {
      const flags = ["--data-dir", fresh, "--api-port", String(node.options.api.port)];
      expect((await cli([...flags, "state", "get", "greeting"])).stdout).toBe("hello\n");
      expect((await cli([...flags, "state", "get", "count"])).stdout).toBe("7\n");
      const status = JSON.parse((await cli([...flags, "--json", "status"])).stdout) as {
        storage: { height: number };
      };
      expect(status.storage.height).toBe(height);
    } finally {
      await node.close();
    }

    const again = await cli(["--data-dir", fresh, "snapshot", "import", file]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      `anode: Cannot import a snapshot into ${join(fresh, "db")}: the database is not empty`,
    );
  });

  it("export --at --json describes the snapshot at that height", async () => {
    const file = join(work(), "at1.snap");
    const r = await cli([...n().flags, "--json", "snapshot", "export", file, "--at", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file,
      height: 1,
      entries: 1,
      bytes: statSync(file).size,
      root: expect.stringMatching(/^[0-9a-f]+$/),
    });

    const fresh = join(work(), "fresh-json");
    const imported = await cli(["--data-dir", fresh, "--json", "snapshot", "import", file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual(JSON.parse(r.stdout));
  });

  it("import of a missing file exits 2 and names the file", async () => {
    const missing = join(work(), "missing.snap");
    const r = await cli(["--data-dir", join(work(), "empty"), "snapshot", "import", missing]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(`Cannot import snapshot ${missing}: it cannot be opened (ENOENT)`);
  });

  it("import into the data directory of a running node exits 3", async () => {
    const r = await cli([...n().flags, "snapshot", "import", join(work(), "state.snap")]);
    expect(r.code).toBe(EXIT.UNAVAILABLE);
    expect(r.stderr).toContain("is locked by another process");
  });

  it("export into a directory that does not exist fails with the node's message", async () => {
    const file = join(work(), "no", "such", "dir.snap");
    const r = await cli([...n().flags, "snapshot", "export", file]);
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr).toMatch(/^anode: ENOENT: .*dir\.snap/);
    expect(existsSync(file)).toBe(false);
  });

  it("export --at a height not reached yet exits 1 with the node's message", async () => {
    const r = await cli([
      ...n().flags,
      "snapshot",
      "export",
      join(work(), "future.snap"),
      "--at",
      "999",
    ]);
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr).toMatch(
      /^anode: Cannot scan the state at height 999: the store is at height \d+\n$/,
    );
  });
});
