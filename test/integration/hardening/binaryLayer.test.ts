import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BINARY_LAYER } from "../../../src/boot";
import { type AppArtifact, parseSignedManifest } from "../../../src/upgrade";
import { type HostileNode, useHostileNode } from "../../support/hostileNode";
import { copySourceTree } from "../../support/sourceTree";
import { buildRelease } from "../../support/upgradeRelease";

/**
 * A release manager builds an app release from a checkout whose src/runtime (binary-layer
 * code, which only a binary release changes) differs from what this node's binary was
 * built from, and signs it with the key the node trusts. The node must refuse it at
 * intake, naming the reason, before fetching a byte, and keep running as it was.
 */
const node = useHostileNode();

interface Refusal {
  error?: { code?: string; message?: string };
}
interface Status {
  releases: Array<{ version: string }>;
  refusals: Array<{ code: string; reason: string }>;
}

/** A copy of this checkout's sources and test fixtures with one binary-layer file changed. */
function otherTree(n: HostileNode): string {
  const tree = copySourceTree(join(n.workDir, "other-tree"));
  appendFileSync(join(tree, "src/runtime/queue.ts"), "\n// A binary-layer change.\n");
  return tree;
}

describe("an app release built against other binary-layer code", () => {
  it("is refused at intake as needing a binary release, and the node is unharmed", async () => {
    const n = node();
    const before = n.snapshot();
    const file = await buildRelease(n.workDir, {
      version: "0.9.0",
      fixture: "bumpMempool",
      key: n.key,
      from: otherTree(n),
    });
    const text = readFileSync(file, "utf8");
    const app = parseSignedManifest(text).manifest.artifacts.find(
      (a): a is AppArtifact => a.kind === "app",
    );
    // release sign copied the digest the bundle was built against: not this node's.
    expect(app?.binaryLayer).toMatch(/^[0-9a-f]{64}$/);
    expect(app?.binaryLayer).not.toBe(BINARY_LAYER);

    const r = await n.api<Refusal>("POST", "/v1/upgrade/releases", { signed: text });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error?.code).toBe("UPGRADE_REFUSED");
    expect(r.body.error?.message).toBe(
      "Cannot apply release 0.9.0: it was built against different binary-layer code (boot/runtime); a binary release is needed",
    );
    const s = await n.api<Status>("GET", "/v1/upgrade/status");
    expect(s.body.refusals.at(-1)).toMatchObject({ code: "NEEDS_BINARY" });
    expect(s.body.releases, "nothing was accepted or fetched").toEqual([]);
    await n.expectUnharmed(before);
  });
});
