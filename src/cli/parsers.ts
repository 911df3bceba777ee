import { cliError } from "./cliError";
import { EXIT } from "./exitCodes";

export function parseIntOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_OPTION",
        `Cannot use ${name} ${raw}: expected an integer from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** A decimal number such as 2.5, from `min` to `max`. */
export function parseDecimalOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || n < min || n > max) {
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_OPTION",
        `Cannot use ${name} ${raw}: expected a number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** Collects a repeatable option into a list. */
export function collect(raw: string, previous: unknown): string[] {
  return [...((previous as string[] | undefined) ?? []), raw];
}
