import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { superviseNode } from "../../../../src/cli/commands/start/superviseNode";
import {
  MAX_RESTARTS_PER_WINDOW,
  supervisorStep,
} from "../../../../src/cli/commands/start/supervisorStep";
import { useTempDir } from "../../../support/useTempDir";

const dir = useTempDir("anode-supervise-");

describe("supervisorStep()", () => {
  const exit = { code: 0, signal: null, stopping: false, recentRestarts: 0 };
  it("restarts only on the restart code, while not stopping and under the restart limit", () => {
    expect(supervisorStep({ ...exit, code: 75 }, 75)).toEqual({ action: "restart" });
    expect(supervisorStep({ ...exit, code: 3 }, 75)).toEqual({ action: "exit", code: 3 });
    expect(supervisorStep({ ...exit, code: null }, 75)).toEqual({ action: "exit", code: 1 });
    expect(supervisorStep({ ...exit, code: 75, stopping: true }, 75)).toEqual({
      action: "exit",
      code: 75,
    });
    expect(
      supervisorStep({ ...exit, code: 75, recentRestarts: MAX_RESTARTS_PER_WINDOW }, 75),
    ).toEqual({ action: "exit", code: 75 });
  });

  it("reports a child killed by a signal as a shell does, 128 plus its number", () => {
    expect(supervisorStep({ ...exit, code: null, signal: "SIGTERM" }, 75)).toEqual({
      action: "exit",
      code: 143,
    });
  });
});

describe("superviseNode()", () => {
  it("runs the node as its child, starts it again on the restart code and ends with its final code", async () => {
    const runs = join(dir(), "runs");
    writeFileSync(runs, "");
    const script = join(dir(), "fake-node.cjs");
    // First run asks for a restart (75); the second ends with 3. Each run records its
    // ANODE_SUPERVISE, which the parent sets to "child".
    writeFileSync(
      script,
      `const fs = require("node:fs");
const runs = ${JSON.stringify(runs)};
fs.appendFileSync(runs, (process.env.ANODE_SUPERVISE || "-") + "\\n");
process.exit(fs.readFileSync(runs, "utf8").trim().split("\\n").length === 1 ? 75 : 3);
`,
    );
    const argv = process.argv;
    const execArgv = process.execArgv;
    const stderrWrite = process.stderr.write;
    const said: string[] = [];
    process.argv = [process.execPath, script];
    Object.defineProperty(process, "execArgv", { value: [], configurable: true });
    process.stderr.write = ((t: string) => said.push(String(t)) > 0) as typeof stderrWrite;
    try {
      expect(await superviseNode({ PATH: process.env.PATH ?? "" })).toBe(3);
    } finally {
      process.argv = argv;
      Object.defineProperty(process, "execArgv", { value: execArgv, configurable: true });
      process.stderr.write = stderrWrite;
    }
    expect(readFileSync(runs, "utf8")).toBe("child\nchild\n");
    expect(said.join("")).toContain("anode: node exited with 75 to restart; starting it again");
  });
});
