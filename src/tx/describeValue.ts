import { Buffer } from "node:buffer";
import type { KvValue } from "./kvTx";

/** Error text ends up in stored statuses, so long values are cut to keep them bounded. */
const MAX_SHOWN = 32;

/** A value as it should read in an error message; `undefined` is an absent key. */
export function describeValue(value: KvValue | undefined): string {
  if (value === undefined) return "absent";
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, MAX_SHOWN)).toString("hex");
    return `bytes 0x${hex}${value.length > MAX_SHOWN ? "…" : ""}`;
  }
  if (typeof value === "string") {
    const chars = [...value];
    return chars.length > MAX_SHOWN
      ? `${JSON.stringify(chars.slice(0, MAX_SHOWN).join(""))}…`
      : JSON.stringify(value);
  }
  return String(value);
}

/** The type word for "value is a string"; numbers never need one. */
export function describeType(value: Exclude<KvValue, number>): string {
  if (value instanceof Uint8Array) return "bytes";
  return typeof value === "string" ? "a string" : "a boolean";
}
