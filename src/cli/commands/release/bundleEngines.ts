import { type AppHost, appEngines, evaluateApp, HOST_API_VERSION } from "../../../boot";
import * as errors from "../../../errors";
import * as runtime from "../../../runtime";
import { VERSION } from "../../../version";

/**
 * The host contract, binary-layer digest and engine versions of an app bundle, read by evaluating it as boot
 * would (the release manager's own bundle; its main is never called). The manifest lists
 * them so every node knows which engines a release swaps.
 */
export async function bundleEngines(
  bytes: Uint8Array,
  file: string,
): Promise<{
  hostApi: number;
  binaryLayer: string | undefined;
  engines: Record<string, string>;
  version: string;
}> {
  const host = {
    hostApi: HOST_API_VERSION,
    version: VERSION,
    runtime,
    errors,
    trust: { threshold: 1, keys: [] },
    boot: {
      source: "embedded",
      appVersion: VERSION,
      binaryVersion: VERSION,
      build: "release",
      refused: [],
    },
    get Level(): never {
      throw new Error("an app bundle being signed cannot open a database");
    },
  } as unknown as AppHost;
  // Any binary layer: a release that needs a new binary is signed like any other, and
  // nodes decide from the digest copied into its manifest.
  const { app } = evaluateApp(bytes, {
    filename: file,
    version: "release",
    host,
    binaryLayer: null,
  });
  const engines: Record<string, string> = {};
  for (const [name, m] of Object.entries(await appEngines(app))) engines[name] = m.version;
  const binaryLayer = typeof app.binaryLayer === "string" ? app.binaryLayer : undefined;
  return { hostApi: app.hostApi, binaryLayer, engines, version: app.version };
}
