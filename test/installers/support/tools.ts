import { spawnSync } from "node:child_process";

/** Whether a program is on PATH (tests that need it skip, saying which package has it). */
export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export const isRoot = process.getuid?.() === 0;

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(program: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(program, [...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Why a test skips: the tool and the Debian package that provides it. */
export function missing(tool: string, aptPackage: string): string {
  return `${tool} not installed (apt-get install ${aptPackage})`;
}

/**
 * For `it.skipIf(n.skip)(\`name${n.why}\`)`. Off Linux the installer tools are another
 * platform's and the test skips, saying so. On Linux (CI, and where .ci/run installs every
 * one of them) a missing tool is a failure: the file fails to load with a message naming
 * the tool and its Debian package, never a silent skip.
 */
export function needs(...tools: Array<[tool: string, aptPackage: string]>): {
  skip: boolean;
  why: string;
} {
  if (process.platform !== "linux") {
    return { skip: true, why: ` [skipped: a Linux installer check, this is ${process.platform}]` };
  }
  const absent = tools.filter(([t]) => !hasTool(t));
  if (absent.length > 0) {
    throw new Error(
      `Cannot run these tests: ${absent.map(([t, p]) => missing(t, p)).join("; ")} (.ci/run installs it)`,
    );
  }
  return { skip: false, why: "" };
}
