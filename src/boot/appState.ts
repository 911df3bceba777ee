import { mkdirSync, readFileSync } from "node:fs";
import { appLayout } from "./appLayout";
import { BootError } from "./bootError";
import { writeFileAtomic } from "./writeFileAtomic";

/**
 * What the upgrade engine has decided about installed versions. Boot only reads it:
 * `current` is tried first (so a rollback works without deleting anything), then
 * `lastGood`, then other installed versions newest first; a version in `bad` is never
 * booted again.
 */
export interface AppState {
  current?: string;
  lastGood?: string;
  /** Version to the reason it was marked bad ("failed its health window"). */
  bad: Record<string, string>;
}

export function emptyAppState(): AppState {
  return { bad: {} };
}

/** Reads the state file; a missing file is the empty state, a malformed one an error. */
export function readAppState(dataDir: string): AppState {
  const file = appLayout(dataDir).stateFile;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyAppState();
    throw stateError(file, (err as Error).message);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw stateError(file, "it is not JSON");
  }
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  const bad = o.bad ?? {};
  if (typeof bad !== "object" || bad === null || Array.isArray(bad)) {
    throw stateError(file, "bad must be an object of version to reason");
  }
  const state: AppState = { bad: {} };
  for (const [k, reason] of Object.entries(bad)) state.bad[k] = String(reason);
  if (typeof o.current === "string") state.current = o.current;
  if (typeof o.lastGood === "string") state.lastGood = o.lastGood;
  return state;
}

/** Replaces the state file atomically (write a temporary file, then rename over). */
export function writeAppState(dataDir: string, state: AppState): void {
  const { root, stateFile } = appLayout(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** Records that `version` must not be booted again, and why. */
export function markBad(dataDir: string, version: string, reason: string): AppState {
  const state = readAppState(dataDir);
  state.bad[version] = reason;
  if (state.current === version) delete state.current;
  if (state.lastGood === version) delete state.lastGood;
  writeAppState(dataDir, state);
  return state;
}

function stateError(file: string, reason: string): BootError {
  return new BootError(
    { code: "BOOT_STATE_INVALID", file, reason },
    `Cannot read the app state at ${file}: ${reason}`,
  );
}
