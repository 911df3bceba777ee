import type { Instruction } from "../manifest";
import { UpgradeError } from "../upgradeError";
import { type EngineVersion, planSwap } from "./swapOrder";

/** What applying an app release does, module by module, in dependency order. */
export interface ReleasePlan {
  /** Suspended, converted by codeChange, resumed: one all-or-nothing transaction. */
  swap: EngineVersion[];
  /** Restarted on the new module after the swaps, state rebuilt by its init. */
  restart: EngineVersion[];
}

/** The engine that runs the swap changes only by swapping itself, last. */
const SELF = "upgrade";

/**
 * Turns a release's per-engine instructions (an OTP appup) into a plan: every module
 * whose version differs, by the instruction the manifest gives it (`swap` if none). A
 * `binary` instruction means the change needs a new executable: the release is refused
 * as an app release, naming the engines, before anything changes.
 */
export function planRelease(
  running: readonly EngineVersion[],
  next: Readonly<Record<string, { version: string } | undefined>>,
  o: { version: string; instructions?: Readonly<Record<string, Instruction>> },
): ReleasePlan {
  const changed = planSwap(running, next);
  const how = (name: string): Instruction => o.instructions?.[name] ?? "swap";
  const binary = changed.filter((e) => how(e.name) === "binary").map((e) => e.name);
  if (binary.length > 0) {
    throw new UpgradeError(
      { code: "UPGRADE_NEEDS_BINARY_RELEASE", version: o.version, engines: binary },
      `Cannot apply release ${o.version} as an app release: its change to ${binary.join(", ")} needs a binary release`,
    );
  }
  if (how(SELF) === "restart" && changed.some((e) => e.name === SELF)) {
    throw new UpgradeError(
      { code: "UPGRADE_BAD_INSTRUCTION", version: o.version, engine: SELF },
      `Cannot apply release ${o.version}: the upgrade engine runs the release, so it can only swap itself (its instruction is restart)`,
    );
  }
  return {
    swap: changed.filter((e) => how(e.name) === "swap"),
    restart: changed.filter((e) => how(e.name) === "restart"),
  };
}
