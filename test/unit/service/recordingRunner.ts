import type { CommandRunner, RunResult } from "../../../src/service";

/** Records every command line; answers from a table keyed by `program args...` prefix. */
export function recordingRunner(answers: Record<string, Partial<RunResult>> = {}) {
  const calls: string[] = [];
  const runner: CommandRunner = {
    async run(program, args) {
      const line = [program, ...args].join(" ");
      calls.push(line);
      const key = Object.keys(answers)
        .filter((k) => line.startsWith(k))
        .sort((a, b) => b.length - a.length)[0];
      const a = key === undefined ? {} : answers[key];
      return { code: 0, stdout: "", stderr: "", missing: false, ...a };
    },
  };
  return { runner, calls };
}
