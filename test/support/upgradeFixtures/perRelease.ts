// A test release whose behaviour differs per release: the mempool engine, at a version
// of its own per app version (so every release swaps it), adds to its stats a `probe`
// its code computes from its app version. The months-of-life test reads it from
// /v1/status to tell which release's code answers, not which version a label says.
// Built by test/support/upgradeRelease.ts.
//
// The node's wiring takes its engine modules from src/engines itself, not from the
// `engines` export (which only a hot swap reads), so the fixture changes that very
// module object: a node that boots this release runs the probe too. Each bundle is
// evaluated on its own, so this never touches another release's modules.

import { engines as all } from "../../../src/app/engines";
import { mempoolEngine } from "../../../src/engines";
import type { AnyEngineModule } from "../../../src/runtime";
import { VERSION as version } from "../../../src/version";
import { probeOf } from "./probe";

export { binaryLayer, hostApi, main, version } from "../../../src/app/main";

const mempool = mempoolEngine as unknown as AnyEngineModule;
const handleCall = mempool.handleCall as NonNullable<AnyEngineModule["handleCall"]>;

Object.assign(mempool, {
  version: `${mempool.version}-r${version}`,
  codeChange: (_from: string, state: unknown) => state,
  async handleCall(...args: Parameters<typeof handleCall>) {
    const result = await handleCall(...args);
    if ((args[0] as { type?: unknown }).type !== "stats" || !("reply" in result)) return result;
    return { ...result, reply: { ...(result.reply as object), probe: probeOf(version) } };
  },
} satisfies Partial<AnyEngineModule>);

/** The contract's engines are a function, loaded on first use (see src/boot/hostContract.ts). */
export const engines = async (): Promise<Readonly<Record<string, AnyEngineModule>>> => all;
