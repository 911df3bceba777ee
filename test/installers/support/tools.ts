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

/** For `it.skipIf(n.skip)(\`name${n.why}\`)`: a missing tool shows in the test's name. */
export function needs(...tools: Array<[tool: string, aptPackage: string]>): {
  skip: boolean;
  why: string;
} {
  const absent = tools.filter(([t]) => !hasTool(t));
  return {
    skip: absent.length > 0,
    why: absent.length > 0 ? ` [skipped: ${absent.map(([t, p]) => missing(t, p)).join("; ")}]` : "",
  };
}
