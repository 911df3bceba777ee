import { isSea } from "node:sea";
import type { BootInfo } from "../../boot";
import type { NodeOptions } from "../../config";
import type { Logger } from "../../logging";
import type { BrokerClient, ChildSpec, Mailer, ModuleTable, Registry } from "../../runtime";
import {
  BINARY_SWAP_ENV,
  dpkgPackageOf,
  packageOwner,
  platformOf,
  type TrustedKeys,
} from "../../upgrade";
import { UPGRADE } from "./messages";
import type { ProcessMemo } from "./processMemo";
import { CLOCK_OFFSET_ENV, parseClockOffset } from "./releaseClock";
import type { UpgradeArgs } from "./upgradeTypes";

export interface UpgradeSpecDeps {
  options: NodeOptions;
  nodeId: string;
  registry: Registry;
  modules: ModuleTable;
  mailer: Mailer;
  broker: BrokerClient;
  log: Logger;
  boot?: BootInfo | undefined;
  trust?: TrustedKeys | undefined;
  Level?: unknown;
  /**
   * Kept by the node for its whole life: a spec made again when a supervisor above it
   * restarts must still reach what the upgrade engine left (see processMemo).
   */
  memo?: ProcessMemo;
}

/** The upgrade engine as a child of the node's `services` supervisor. */
export function upgradeSpec(d: UpgradeSpecDeps): ChildSpec {
  const log = d.log.child({ module: UPGRADE });
  const memo: ProcessMemo = d.memo ?? {};
  return {
    id: UPGRADE,
    start: () =>
      d.modules.start(
        UPGRADE,
        {
          options: d.options.upgrade,
          dataDir: d.options.dataDir,
          nodeId: d.nodeId,
          modules: d.modules,
          memo,
          broker: d.broker,
          compiledTrust: d.trust,
          boot: d.boot,
          Level: d.Level,
          // An unknown platform still takes app releases, which run anywhere.
          platform: platformOf(process.platform, process.arch) ?? "linux-x64",
          binary: binaryOwnership(),
          pauseAt: crashTestPause(process.env[CRASH_TEST_PAUSE_ENV]),
          clockOffsetMs: clockOffset(log),
          exit: (code) => {
            // `anode start` ends with 0 on SIGTERM; the code the service manager acts on
            // (75: restart me) is set last, as the process exits.
            process.once("exit", () => {
              process.exitCode = code;
            });
            process.kill(process.pid, "SIGTERM");
          },
        } satisfies UpgradeArgs,
        { registry: d.registry, mailer: d.mailer, log },
      ),
  };
}

/**
 * Names a step ("staged", "renamed") at which applying a binary release stops and waits
 * to be killed: the crash test's way to SIGKILL a real binary at an exact point.
 */
const CRASH_TEST_PAUSE_ENV = "ANODE_UPGRADE_CRASH_TEST_PAUSE";

function crashTestPause(v: string | undefined): "staged" | "renamed" | undefined {
  return v === "staged" || v === "renamed" ? v : undefined;
}

/** The test/ops clock offset, announced whenever it is in effect so it is never on unseen. */
function clockOffset(log: Logger): number {
  const { offsetMs, problem } = parseClockOffset(process.env[CLOCK_OFFSET_ENV]);
  if (problem !== undefined) log.warn(problem);
  if (offsetMs > 0) {
    log.warn("release timestamps are judged by a clock moved forward (test/ops hook)", {
      env: CLOCK_OFFSET_ENV,
      offsetMs,
    });
  }
  return offsetMs;
}

/** Only a packaged executable can be replaced; one a package manager owns is left to it. */
function binaryOwnership(): UpgradeArgs["binary"] {
  if (!isSea()) return { path: undefined, owner: undefined };
  const path = process.execPath;
  const dpkgPackage = process.platform === "linux" ? dpkgPackageOf(path) : undefined;
  const privileged = process.env[BINARY_SWAP_ENV] === "privileged";
  return {
    path,
    owner: packageOwner(path, { dpkgPackage }),
    ...(privileged ? { privileged } : {}),
  };
}
