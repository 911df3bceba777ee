import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ManifestSignature,
  type ReleaseManifest,
  signManifest,
  trustedKeyOf,
} from "../../../src/upgrade";
import { craftManifest, nonCanonical } from "../../support/craftManifest";
import { type HostileNode, useHostileNode } from "../../support/hostileNode";
import { startNodeProcess } from "../../support/nodeProcess";
import { freePort } from "../../support/ports";
import { tempDir } from "../../support/tempDir";

/**
 * Manifests signed by the very key the node trusts, each breaking one rule a signature
 * alone does not enforce: one version with two identities (build metadata, a leading
 * zero), a time far ahead or far away, an artifact named like a staging file, a second
 * spelling of a signature. Each must be refused with its code before anything is staged.
 */
const node = useHostileNode();

const DAY = 86_400_000;
function signed(n: HostileNode, m: ReleaseManifest, sigs?: ManifestSignature[]): string {
  return JSON.stringify({ manifest: m, signatures: sigs ?? [signManifest(m, n.key.key)] });
}

interface Refusal {
  error?: { code?: string; message?: string };
}

interface Status {
  releases: Array<{ version: string }>;
  refusals: Array<{ code: string; reason: string }>;
}

async function status(n: HostileNode): Promise<Status> {
  const r = await n.api<Status>("GET", "/v1/upgrade/status");
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function publish(n: HostileNode, text: string) {
  return n.api<Refusal>("POST", "/v1/upgrade/releases", { signed: text });
}

describe("crafted manifests signed by the trusted key", () => {
  it("are each refused with their code, and the node is unharmed", async () => {
    const n = node();
    const before = n.snapshot();
    const cases: Array<[string, string, string, RegExp]> = [
      [
        "0.7.0+a to this node",
        signed(n, craftManifest("0.7.0+a")),
        "MANIFEST_INVALID",
        /build metadata/,
      ],
      [
        "0.7.0+b to another",
        signed(n, craftManifest("0.7.0+b")),
        "MANIFEST_INVALID",
        /build metadata/,
      ],
      [
        "a createdAt a day ahead",
        signed(
          n,
          craftManifest("0.8.0", {
            createdAt: new Date(Date.now() + DAY).toISOString(),
            expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
          }),
        ),
        "MANIFEST_FROM_FUTURE",
        /more than 10 minutes ahead of this node's clock/,
      ],
      [
        "an expiry in year 9999",
        signed(n, craftManifest("0.9.0", { expiresAt: "9999-12-31T23:59:59.000Z" })),
        "MANIFEST_TOO_LONG_LIVED",
        /over the 400-day limit/,
      ],
      [
        "an artifact named manifest.json",
        (() => {
          const m = craftManifest("0.10.0");
          (m.artifacts[0] as { name: string }).name = "manifest.json";
          return signed(n, m);
        })(),
        "MANIFEST_INVALID",
        /name "manifest\.json" is reserved/,
      ],
      [
        "a signature with a non-canonical S",
        (() => {
          const m = craftManifest("0.11.0");
          return signed(n, m, [nonCanonical(signManifest(m, n.key.key))]);
        })(),
        "MANIFEST_BAD_SIGNATURE",
        /signature by key test-release does not match/,
      ],
      [
        "a pre-release with a leading zero",
        signed(n, craftManifest("0.12.0-01")),
        "MANIFEST_INVALID",
        /version "0\.12\.0-01" is not a version/,
      ],
    ];
    for (const [what, text, code, message] of cases) {
      const r = await publish(n, text);
      expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(409);
      expect(r.body.error?.code, what).toBe("UPGRADE_REFUSED");
      expect(r.body.error?.message, what).toMatch(message);
      // The refusal code is what `upgrade status` lists, newest last.
      const s = await status(n);
      expect(s.refusals.at(-1), what).toMatchObject({
        code,
        reason: expect.stringMatching(message),
      });
    }
    expect((await status(n)).releases, "nothing was accepted").toEqual([]);
    // The control: the same crafting with no rule broken is taken, so each refusal above
    // is the one rule it breaks. Taking it writes the engine's state file, nothing else.
    const control = await publish(n, signed(n, craftManifest("0.13.0")));
    expect(control.status, JSON.stringify(control.body)).toBe(200);
    expect((await status(n)).releases.map((r) => r.version)).toEqual(["0.13.0"]);
    await n.expectUnharmed(before, { changed: [join("upgrade", "state.json")] });
  });
});

describe("a trust list naming one public key twice", () => {
  it("stops the node at start with a clear error, instead of letting one key count twice", async () => {
    const dir = tempDir("anode-dup-trust-");
    try {
      const key = node().key.key;
      const once = trustedKeyOf(key);
      const trust = { threshold: 2, keys: [once, { ...once, id: "same-key-again" }] };
      const outcome = await startNodeProcess(
        ["--data-dir", join(dir.path, "data"), "--api-port", String(await freePort())],
        { env: { ANODE_UPGRADE_TRUSTED_KEYS: JSON.stringify(trust) } },
      ).then(
        async (p) => {
          await p.stop();
          return "it started";
        },
        (err: Error) => err.message,
      );
      expect(outcome).toMatch(
        /node exited with [1-9]\d* before it was ready[\s\S]*Cannot use the trusted keys: keys\[1\]\.publicKey is the same key as keys\[0\] \(test-release\)/,
      );
    } finally {
      dir.remove();
    }
  });
});
