import type { BinaryTrialMarker } from "./binaryTrialMarker";

/** What boot does about a binary trial when a node starts. */
export type BinaryTrialStep =
  /** No trial, or one another live node process is running. */
  | "none"
  /** The old binary runs and the new one never did (the rename never happened): forget the trial. */
  | "discard"
  /**
   * The old binary runs although the new one did (its node claimed the trial, then died):
   * a privileged pre-start step put `.old` back. Mark the release bad.
   */
  | "restored"
  /** The new binary's first node start: this process becomes the one on trial. */
  | "claim"
  /** The new binary's node died inside its health window: put `.old` back and restart. */
  | "restore";

export interface BinaryTrialInput {
  marker: BinaryTrialMarker | undefined;
  /** The version of the binary running this boot. */
  running: string;
  /** Whether the marker's process still runs (only asked when it has one). */
  alive: boolean;
}

/**
 * The binary trial as a pure decision. The running version, not a step recorded in the
 * marker, says whether the rename happened: rename is atomic, so a node killed anywhere
 * between staging and restarting boots either the old binary (discard) or the new one.
 */
export function binaryTrialStep(s: BinaryTrialInput): BinaryTrialStep {
  if (s.marker === undefined) return "none";
  if (s.running !== s.marker.version) {
    if (s.marker.pid === undefined) return "discard";
    return s.alive ? "none" : "restored";
  }
  if (s.marker.pid === undefined) return "claim";
  return s.alive ? "none" : "restore";
}
