import { describe, expect, it } from "vitest";
import {
  MAX_MANIFEST_BYTES,
  parseSignedManifest,
  signManifest,
  stagingLayout,
} from "../../../src/upgrade";
import { keys, sampleManifest } from "./fixtures";

const [key] = keys(1) as [ReturnType<typeof keys>[number]];
const good = () => {
  const manifest = sampleManifest();
  return { manifest, signatures: [signManifest(manifest, key)] } as unknown as Record<
    string,
    unknown
  > & {
    manifest: Record<string, unknown> & { artifacts: Array<Record<string, unknown>> };
  };
};

describe("parseSignedManifest()", () => {
  it("reads an activation height and per-engine instructions", () => {
    const v = good();
    v.manifest.activate = { chain: "c0", height: 120 };
    (v.manifest.artifacts[0] as Record<string, unknown>).instructions = {
      mempool: "restart",
      storage: "swap",
    };
    const parsed = parseSignedManifest(JSON.stringify(v));
    expect(parsed.manifest.activate).toEqual({ chain: "c0", height: 120 });
    expect(parsed.manifest.artifacts[0]).toMatchObject({
      instructions: { mempool: "restart", storage: "swap" },
    });
  });

  it("reads back what it is given, from bytes, text or a value", () => {
    const v = good();
    const text = JSON.stringify(v);
    expect(parseSignedManifest(text)).toEqual(v);
    expect(parseSignedManifest(new TextEncoder().encode(text))).toEqual(v);
    expect(parseSignedManifest(v)).toEqual(v);
  });

  type Case = [string, (v: ReturnType<typeof good>) => void, RegExp];
  const cases: Case[] = [
    [
      "a wrong product",
      (v) => {
        v.manifest.product = "other";
      },
      /product must be "anode"/,
    ],
    [
      "a non-version",
      (v) => {
        v.manifest.version = "next";
      },
      /version "next" is not a version/,
    ],
    [
      "an unknown channel",
      (v) => {
        v.manifest.channel = "nightly";
      },
      /channel must be one of/,
    ],
    [
      "a local time",
      (v) => {
        v.manifest.createdAt = "2026-02-01T00:00:00";
      },
      /createdAt is malformed/,
    ],
    [
      "expiry before creation",
      (v) => {
        v.manifest.expiresAt = "2026-01-01T00:00:00.000Z";
      },
      /expiresAt is not after createdAt/,
    ],
    [
      "an unknown artifact kind",
      (v) => {
        (v.manifest.artifacts[0] as Record<string, unknown>).kind = "zip";
      },
      /kind must be "app" or "binary"/,
    ],
    [
      "an unknown platform",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).platform = "plan9-x64";
      },
      /platform must be one of/,
    ],
    [
      "a chunk count that does not match the size",
      (v) => {
        (v.manifest.artifacts[0] as Record<string, unknown>).size = 1;
      },
      /chunks has more than 1|1 expected/,
    ],
    [
      "an uppercase hash",
      (v) => {
        const a = v.manifest.artifacts[0] as Record<string, unknown>;
        a.sha512 = String(a.sha512).toUpperCase();
      },
      /sha512 is malformed/,
    ],
    [
      "a path in an artifact name",
      (v) => {
        (v.manifest.artifacts[0] as Record<string, unknown>).name = "../evil";
      },
      /name is malformed/,
    ],
    [
      "two artifacts with one name",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).name = "anode-app-0.2.0.cjs";
      },
      /share a name/,
    ],
    [
      "build metadata in the version (0.7.0+a and 0.7.0+b would be one version and two)",
      (v) => {
        v.manifest.version = "0.7.0+a";
      },
      /version "0\.7\.0\+a" has build metadata/,
    ],
    [
      "a numeric pre-release identifier with a leading zero",
      (v) => {
        v.manifest.version = "0.7.0-01";
      },
      /version "0\.7\.0-01" is not a version/,
    ],
    [
      "an artifact named like the staged manifest",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).name = "manifest.json";
      },
      /name "manifest\.json" is reserved/,
    ],
    [
      "an artifact named like the staged manifest on a case-insensitive disk",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).name = "Manifest.JSON";
      },
      /is reserved/,
    ],
    [
      "an artifact named like the staged manifest's temporary file",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).name =
          "manifest.json.0a1b2c3d4e5f.tmp";
      },
      /is reserved/,
    ],
    [
      "an artifact named like the staged manifest with a trailing dot (Windows drops it)",
      (v) => {
        (v.manifest.artifacts[1] as Record<string, unknown>).name = "manifest.json.";
      },
      /is reserved/,
    ],
    [
      "a truncated signature",
      (v) => {
        (v.signatures as Array<Record<string, unknown>>)[0] = { keyId: "key-0", signature: "AAAA" };
      },
      /signature is malformed/,
    ],
    [
      "an activation at height 1 (there is no block before it to swap after)",
      (v) => {
        v.manifest.activate = { chain: "c0", height: 1 };
      },
      /activate.height must be an integer from 2/,
    ],
    [
      "an activation with an unknown field",
      (v) => {
        v.manifest.activate = { chain: "c0", height: 5, at: "noon" };
      },
      /activate has an unknown field at/,
    ],
    [
      "an activation without an app artifact",
      (v) => {
        v.manifest.activate = { chain: "c0", height: 5 };
        v.manifest.artifacts = v.manifest.artifacts.filter((a) => a.kind !== "app");
      },
      /activate needs an app artifact/,
    ],
    [
      "an instruction for an engine the bundle does not list",
      (v) => {
        (v.manifest.artifacts[0] as Record<string, unknown>).instructions = { consensus: "swap" };
      },
      /instructions names consensus, which is not in engines/,
    ],
    [
      "an unknown instruction",
      (v) => {
        (v.manifest.artifacts[0] as Record<string, unknown>).instructions = { mempool: "reload" };
      },
      /instructions.mempool must be one of swap, restart, binary/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, mutate, message) => {
    const v = good();
    mutate(v);
    expect(() => parseSignedManifest(v)).toThrow(
      expect.objectContaining({
        code: "MANIFEST_INVALID",
        message: expect.stringMatching(message),
      }),
    );
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseSignedManifest("{nope")).toThrow(
      expect.objectContaining({ code: "MANIFEST_INVALID" }),
    );
  });

  it("refuses a file over the size limit before parsing it", () => {
    const big = `{"pad":"${"x".repeat(MAX_MANIFEST_BYTES)}"}`;
    expect(() => parseSignedManifest(big)).toThrow(
      expect.objectContaining({ code: "MANIFEST_TOO_LARGE" }),
    );
  });

  it("reads a manifest of any lifetime: how long one may live is judged when it is accepted (verifyManifest, checkRelease), never when a node boots one it accepted", () => {
    const v = good();
    v.manifest.expiresAt = "9999-12-31T23:59:59.000Z";
    expect(parseSignedManifest(v).manifest.expiresAt).toBe("9999-12-31T23:59:59.000Z");
  });

  it("refuses every file name the staging layout puts beside an artifact's folder", () => {
    const layout = stagingLayout("/data");
    const reserved = layout.manifestFile("0.2.0").slice(layout.releaseDir("0.2.0").length + 1);
    const v = good();
    (v.manifest.artifacts[1] as Record<string, unknown>).name = reserved;
    expect(() => parseSignedManifest(v)).toThrow(/is reserved/);
  });
});
