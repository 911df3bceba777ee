import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

/** Where a command writes, and whether it may use colour. Tests pass their own. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Colour only on a terminal, and never when NO_COLOR is set. */
  colour: boolean;
}

export function processIo(): Io {
  const env = process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    colour: !noColor && process.stdout.isTTY === true,
  };
}

export function paint(io: Io, style: Style, text: string): string {
  return io.colour ? styleText(style, text, { validateStream: false }) : text;
}

export function println(io: Io, text = ""): void {
  io.stdout.write(`${text}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
