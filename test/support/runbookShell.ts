import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { BUNDLE } from "./nodeProcess";
import type { RunbookBlock } from "./runbookBlocks";
import { runGroup } from "./runGroup";

export interface BlockRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The command bash was running when it failed (from its ERR trap), if one failed. */
  failed?: string;
}

// -E carries the ERR trap into loops and functions; no pipefail, because a runbook's
// `anode ... | grep -q` must not fail when grep stops reading early, as in a reader's shell.
const PRELUDE = `set -Eeu
trap 'echo "runbook-failed-command: $BASH_COMMAND (exit $?)" >&2' ERR
`;

/**
 * An `anode` on PATH that runs the built CLI with this Node, so runbook blocks read as
 * they would for a user with the binary installed. Returns the folder to put on PATH.
 */
export function anodeShim(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, "anode");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

/** Runs one block with bash in `cwd`; on timeout the block's process group is killed. */
export function runBlock(
  block: RunbookBlock,
  o: { env: Record<string, string>; cwd: string; timeoutMs: number },
): Promise<BlockRun> {
  return runGroup("bash", ["--noprofile", "--norc", "-c", PRELUDE + block.code], {
    cwd: o.cwd,
    env: o.env,
    timeoutMs: o.timeoutMs,
    timeoutNote: `\nrunbook-failed-command: block ${block.name} still running after ${o.timeoutMs} ms (killed)\n`,
  }).then(({ code, stdout, stderr, error }) => {
    if (error !== undefined) {
      throw new Error(
        `Cannot run the runbook's shell blocks: bash did not start (${error.message})`,
      );
    }
    const failed = /runbook-failed-command: (.*)/.exec(stderr)?.[1];
    return { code, stdout, stderr, ...(failed === undefined ? {} : { failed }) };
  });
}

/** The failure message a test throws: which block, which command, everything it printed. */
export function describeFailure(block: RunbookBlock, run: BlockRun): string {
  return [
    `runbook block "${block.name}" (docs/release-runbook.md line ${block.line}) failed with exit ${run.code}`,
    `command: ${run.failed ?? "(unknown)"}`,
    `block:\n${block.code}`,
    `stdout:\n${run.stdout}`,
    `stderr:\n${run.stderr}`,
  ].join("\n");
}

/**
 * Kills every process whose command line names a path under `dir` (a test's unique temp
 * folder): a node a block started but never recorded, because the block was killed
 * between the spawn and the write of testnet.json. Linux only (/proc); elsewhere a no-op.
 */
export function killProcessesUnder(dir: string): number[] {
  if (!existsSync("/proc")) return [];
  const killed: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!cmdline.split("\0").some((arg) => arg.startsWith(`${dir}/`))) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
      killed.push(Number(entry));
    } catch {}
  }
  return killed;
}
