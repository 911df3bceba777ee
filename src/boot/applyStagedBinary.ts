import type { Platform, TrustedKeys } from "../verify";
import { restoreBinary, stageBinary, swapBinary } from "./binarySwap";
import { readBinaryTrial } from "./binaryTrialMarker";
import { checkStagedBinary } from "./checkStagedBinary";
import { pidAlive } from "./trialMarker";

export interface ApplyStagedBinaryOptions {
  dataDir: string;
  /** The executable to replace: the one running this step, never a path from the data directory. */
  exe: string;
  /** Its version. */
  running: string;
  platform: Platform;
  trust: TrustedKeys;
  isAlive?: (pid: number) => boolean;
}

export type ApplyStagedBinaryOutcome =
  | { kind: "none" }
  | { kind: "applied"; version: string }
  | { kind: "restored"; version: string }
  | { kind: "refused"; reason: string };

/**
 * The system service's privileged pre-start step (`anode service apply-binary`, run as
 * root by systemd's `ExecStartPre=+` before every start), for a binary folder the node
 * itself may not write. It changes nothing but the executable and its `.old`, and writes
 * nothing in the data directory: the node's own boot does the bookkeeping, as the
 * service account (src/boot/settleBinaryTrial.ts).
 *
 * - The binary now in place is the one on trial and its node died: put `.old` back.
 * - A binary release is staged: verify it from scratch against this binary's trusted keys
 *   (what the service account wrote is untrusted), then swap it in, keeping `.old`.
 *
 * It never throws for what it finds: a refused release is reported, and the binary in
 * place starts as it is.
 */
export function applyStagedBinary(o: ApplyStagedBinaryOptions): ApplyStagedBinaryOutcome {
  const marker = readBinaryTrial(o.dataDir);
  const alive = o.isAlive ?? pidAlive;
  if (
    marker?.version === o.running &&
    marker.pid !== undefined &&
    !alive(marker.pid) &&
    restoreBinary(o.exe)
  ) {
    return { kind: "restored", version: marker.version };
  }
  let staged: { version: string; bytes: Uint8Array } | undefined;
  try {
    staged = checkStagedBinary(o.dataDir, o);
  } catch (err) {
    return { kind: "refused", reason: err instanceof Error ? err.message : String(err) };
  }
  if (staged === undefined) return { kind: "none" };
  stageBinary(o.exe, staged.bytes);
  swapBinary(o.exe);
  return { kind: "applied", version: staged.version };
}
