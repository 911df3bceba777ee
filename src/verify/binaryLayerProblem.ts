import type { Platform, ReleaseManifest } from "./releaseManifest";

/** Why a node cannot take an app bundle built against other binary-layer code. */
export const NEEDS_BINARY_REASON =
  "it was built against different binary-layer code (boot/runtime); a binary release is needed";

/**
 * Why this node cannot run a release's app bundle on its own binary, or undefined when it
 * can: the bundle was built against other binary-layer sources (or does not say which),
 * and the release brings no binary for this node's platform to go with it. Pure, so the
 * upgrade engine's intake and its tests share one rule.
 */
export function binaryLayerProblem(
  manifest: ReleaseManifest,
  node: { platform: Platform; binaryLayer: string },
): string | undefined {
  const app = manifest.artifacts.find((a) => a.kind === "app");
  if (app?.kind !== "app" || app.binaryLayer === node.binaryLayer) return undefined;
  const binary = manifest.artifacts.some(
    (a) => a.kind === "binary" && a.platform === node.platform,
  );
  if (binary) return undefined;
  return app.binaryLayer === undefined
    ? "it does not say which binary-layer code (boot/runtime) it was built against; a binary release is needed"
    : NEEDS_BINARY_REASON;
}
