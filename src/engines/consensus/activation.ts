import { compareVersions, isVersion } from "../../verify";

/**
 * An upgrade that activates at one height of the chain: consensus stops before signing
 * anything at `height` until the upgrade engine says the new code runs.
 */
export interface ScheduledActivation {
  version: string;
  height: number;
  /** "waiting": the store holds height - 1 and activationDue goes out every second. */
  state: "scheduled" | "waiting";
}

/** Casts the upgrade engine sends to consensus; they arrive as they are, not as gossip. */
export type ActivationCast =
  | { type: "scheduleActivation"; version: string; height: number }
  | { type: "activated"; version: string; height: number }
  | { type: "cancelActivation"; version: string };

/** Gossip for the paused height kept until the new code runs; older messages go first. */
export const MAX_BUFFERED_MESSAGES = 1000;
/** activationDue is sent again this often while the chain waits (the receiver is idempotent). */
export const ACTIVATION_DUE_RESEND_MS = 1000;

/** Reads an activation cast, or undefined when `msg` is none (or malformed). */
export function parseActivationCast(msg: unknown): ActivationCast | undefined {
  const m = msg as { type?: unknown; version?: unknown; height?: unknown };
  if (typeof m !== "object" || m === null) return undefined;
  if (typeof m.version !== "string" || m.version.length === 0) return undefined;
  if (m.type === "cancelActivation") return { type: m.type, version: m.version };
  if (m.type !== "scheduleActivation" && m.type !== "activated") return undefined;
  const height = m.height;
  if (typeof height !== "number" || !Number.isSafeInteger(height) || height < 2) return undefined;
  return { type: m.type, version: m.version, height };
}

export function activationKey(a: { version: string; height: number }): string {
  return `${a.version}@${a.height}`;
}

/** The status line of a chain paused for an activation. */
export function activationHalt(a: ScheduledActivation): string {
  return `halted at height ${a.height}: needs release ${a.version} (upgrade needed)`;
}

/**
 * Whether a scheduled activation takes the place of the current one: the same release at
 * another height, or a newer release. The upgrade engine re-sends every pending one each
 * second, so an older release must not take the place back (the chain would flip between
 * two heights, and pass one of them on the old code).
 */
export function supersedes(
  next: { version: string },
  current: { version: string } | undefined,
): boolean {
  if (current === undefined || current.version === next.version) return true;
  if (!isVersion(next.version) || !isVersion(current.version)) return true;
  return compareVersions(next.version, current.version) > 0;
}
