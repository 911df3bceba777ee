import { createInterface } from "node:readline/promises";

/** Where a confirmation is read from; tests pass a scripted one. */
export interface ConfirmInput {
  /** Only a person at a terminal can be asked. */
  isTTY: boolean;
  /** Shows the question and resolves with the answer line. */
  ask(question: string): Promise<string>;
}

export type Confirmation = "yes" | "no" | "cannot-ask";

/**
 * An operator's confirmation: `--yes` (scripts), else a y/N question on a terminal.
 * Without a terminal there is nobody to ask, and a pipe's contents are no answer, so the
 * caller refuses (a usage error) instead of guessing.
 */
export async function confirm(
  question: string,
  o: { yes: boolean; input: ConfirmInput },
): Promise<Confirmation> {
  if (o.yes) return "yes";
  if (!o.input.isTTY) return "cannot-ask";
  const answer = (await o.input.ask(`${question} [y/N] `)).trim().toLowerCase();
  return answer === "y" || answer === "yes" ? "yes" : "no";
}

/** The process's terminal: the question goes to stderr, so stdout stays the result. */
export function terminalInput(): ConfirmInput {
  return {
    isTTY: process.stdin.isTTY === true,
    async ask(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
