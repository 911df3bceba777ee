import { isSea } from "node:sea";
import type { TrustedKeys } from "../verify";
import { applyStagedBinary } from "./applyStagedBinary";
import { platformOf } from "./platformOf";

/** Whether argv is `anode service apply-binary ...`, which boot runs itself. */
export function isApplyBinary(argv: readonly string[]): boolean {
  const at = argv.indexOf("apply-binary");
  return at > 0 && argv[at - 1] === "service";
}

export interface ApplyBinaryCommandOptions {
  dataDir: string;
  running: string;
  trust: TrustedKeys;
  write: (line: string) => void;
}

/**
 * `anode service apply-binary --system`: the system unit's `ExecStartPre=+-`, as root.
 * Boot runs it before any app bundle is chosen, so no code from the data directory ever
 * runs as root. Exit 0 whatever it found (the node starts on the binary in place); 2 when
 * it cannot run at all (not root, not the packaged binary).
 */
export function applyBinaryCommand(o: ApplyBinaryCommandOptions): number {
  const fail = (why: string) => {
    o.write(`anode: Cannot apply a staged binary: ${why}`);
    return 2;
  };
  if (!isSea())
    return fail("only the packaged executable replaces itself (this is a script run by Node)");
  if (process.getuid?.() !== 0) return fail("it runs as root, from the unit's ExecStartPre=+");
  const platform = platformOf(process.platform, process.arch);
  if (platform === undefined)
    return fail(`no releases are made for ${process.platform}-${process.arch}`);
  try {
    const outcome = applyStagedBinary({
      dataDir: o.dataDir,
      exe: process.execPath,
      running: o.running,
      platform,
      trust: o.trust,
    });
    switch (outcome.kind) {
      case "applied":
        o.write(
          `anode: binary ${outcome.version} verified and put in place (${o.running} kept as .old)`,
        );
        break;
      case "restored":
        o.write(
          `anode: binary ${outcome.version} died on trial; the previous binary is back in place`,
        );
        break;
      case "refused":
        o.write(`anode: refused the staged binary, keeping ${o.running}: ${outcome.reason}`);
        break;
      case "none":
        break;
    }
  } catch (err) {
    o.write(
      `anode: could not apply the staged binary, keeping ${o.running}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return 0;
}
