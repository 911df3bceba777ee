import { describe, expect, it } from "vitest";
import { BINARY_LAYER, HOST_API_VERSION } from "../../../src/boot";
import {
  type AppArtifact,
  binaryLayerProblem,
  checkRelease,
  MAX_CLOCK_SKEW_MS,
  MAX_MANIFEST_LIFETIME_MS,
  manifestDigest,
  type ReleaseContext,
  type ReleaseManifest,
  signManifest,
} from "../../../src/upgrade";
import { keys, NOW, sampleManifest, trustOf } from "./fixtures";

const [a, b, stranger] = keys(3) as [
  ReturnType<typeof keys>[number],
  ReturnType<typeof keys>[number],
  ReturnType<typeof keys>[number],
];

function ctx(over: Partial<ReleaseContext> = {}): ReleaseContext {
  return {
    trust: trustOf([a, b], 1),
    now: NOW,
    platform: "linux-x64",
    channel: "stable",
    highestAccepted: "0.1.0",
    known: {},
    bad: {},
    hostApi: HOST_API_VERSION,
    binaryLayer: BINARY_LAYER,
    binaryReplaceable: true,
    ...over,
  };
}

function signed(m: ReleaseManifest, signers = [a]) {
  return { manifest: m, signatures: signers.map((k) => signManifest(m, k)) };
}

const good = sampleManifest();
const tampered = () => {
  const s = signed(good);
  return { ...s, manifest: { ...s.manifest, channel: "beta" as const } };
};
const appOnlyWin = sampleManifest({
  artifacts: sampleManifest()
    .artifacts.filter((x) => x.kind === "binary")
    .map((x) => ({ ...x, kind: "binary" as const, platform: "win-x64" as const })),
});
const other = sampleManifest({ createdAt: "2026-02-02T00:00:00.000Z" });

describe("checkRelease()", () => {
  it.each([
    ["a bad signature", tampered(), ctx(), "MANIFEST_BAD_SIGNATURE"],
    ["an unknown key", signed(good, [stranger]), ctx(), "MANIFEST_UNKNOWN_KEY"],
    [
      "fewer than k signatures",
      signed(good, [a]),
      ctx({ trust: trustOf([a, b], 2) }),
      "MANIFEST_TOO_FEW_SIGNATURES",
    ],
    ["an older release replayed", signed(good), ctx({ highestAccepted: "0.3.0" }), "NOT_NEWER"],
    [
      "the same version again without knowing it (after a restart)",
      signed(good),
      ctx({ highestAccepted: "0.2.0" }),
      "NOT_NEWER",
    ],
    [
      "an expired manifest",
      signed(good),
      ctx({ now: Date.parse("2026-06-01T00:00:00.000Z") }),
      "MANIFEST_EXPIRED",
    ],
    ["the wrong platform", signed(appOnlyWin), ctx(), "WRONG_PLATFORM"],
    [
      "a beta release on a stable node",
      signed(sampleManifest({ channel: "beta" })),
      ctx(),
      "WRONG_CHANNEL",
    ],
    ["a release marked bad", signed(good), ctx({ bad: { "0.2.0": "crashed" } }), "MARKED_BAD"],
    ["malformed JSON", "{", ctx(), "MANIFEST_INVALID"],
  ])("refuses %s with a clear reason", (_what, input, c, code) => {
    const d = checkRelease(input, c);
    expect(d.kind).toBe("refuse");
    if (d.kind === "refuse") {
      expect(d.code).toBe(code);
      expect(d.reason).toMatch(/^Cannot /);
    }
  });

  it("accepts a good release and names what this node fetches", () => {
    const d = checkRelease(signed(good), ctx());
    expect(d.kind).toBe("accept");
    if (d.kind === "accept") expect(d.artifacts.map((x) => x.kind)).toEqual(["app", "binary"]);
  });

  it("leaves a package manager's binary alone and says a binary upgrade waits", () => {
    const d = checkRelease(signed(good), ctx({ binaryReplaceable: false }));
    expect(d.kind === "accept" && d.binaryWaiting && d.artifacts.map((x) => x.kind)).toEqual([
      "app",
    ]);
  });

  it("lets a beta node take stable releases", () => {
    expect(checkRelease(signed(good), ctx({ channel: "beta" })).kind).toBe("accept");
  });

  it("calls a second, different, validly signed manifest for a known version equivocation", () => {
    const d = checkRelease(signed(other), ctx({ known: { "0.2.0": manifestDigest(good) } }));
    expect(d.kind).toBe("equivocation");
  });

  it("does not let an unsigned second manifest raise an equivocation alarm", () => {
    const s = signed(other, [stranger]);
    const d = checkRelease(s, ctx({ known: { "0.2.0": manifestDigest(good) } }));
    expect(d.kind).toBe("refuse");
  });

  it("treats the very manifest it accepted, republished after it expired, as a duplicate", () => {
    const later = ctx({
      now: Date.parse("2026-06-01T00:00:00.000Z"),
      known: { "0.2.0": manifestDigest(good) },
      highestAccepted: "0.2.0",
    });
    expect(checkRelease(signed(good), later).kind).toBe("duplicate");
  });

  it("still refuses an expired manifest it never accepted, even for a known version", () => {
    const later = { now: Date.parse("2026-06-01T00:00:00.000Z") };
    expect(checkRelease(signed(other), ctx(later)).kind).toBe("refuse");
    const d = checkRelease(signed(good), ctx({ ...later, known: { "0.2.0": "another digest" } }));
    expect(d.kind === "refuse" && d.code).toBe("MANIFEST_EXPIRED");
  });

  it("refuses an expired duplicate of a release marked bad as marked bad, not as a duplicate or expired", () => {
    const d = checkRelease(
      signed(good),
      ctx({
        now: Date.parse("2026-06-01T00:00:00.000Z"),
        known: { "0.2.0": manifestDigest(good) },
        bad: { "0.2.0": "rolled back" },
      }),
    );
    expect(d.kind === "refuse" && d.code).toBe("MARKED_BAD");
  });

  it("resumes a release accepted before a restart although its manifest expired since", () => {
    const later = ctx({ now: Date.parse("2026-06-01T00:00:00.000Z"), resuming: true });
    expect(checkRelease(signed(good), later).kind).toBe("accept");
  });

  it("treats the same manifest again (gossip echo) as a duplicate", () => {
    expect(checkRelease(signed(good), ctx({ known: { "0.2.0": manifestDigest(good) } })).kind).toBe(
      "duplicate",
    );
  });

  const created = (ms: number) =>
    sampleManifest({
      createdAt: new Date(NOW + ms).toISOString(),
      expiresAt: new Date(NOW + ms + 30 * 86_400_000).toISOString(),
    });

  it.each([
    ["a day ahead", 86_400_000, "refuse"],
    ["just over the skew", MAX_CLOCK_SKEW_MS + 1, "refuse"],
    ["at the skew", MAX_CLOCK_SKEW_MS, "accept"],
    ["a minute ahead (a signer's clock a little fast)", 60_000, "accept"],
  ])("judges a manifest created %s of this node's clock", (_what, ahead, kind) => {
    const d = checkRelease(signed(created(ahead)), ctx());
    expect(d.kind).toBe(kind);
    if (d.kind === "refuse") {
      expect(d.code).toBe("MANIFEST_FROM_FUTURE");
      expect(d.reason).toMatch(
        /^Cannot accept release 0\.2\.0: it was created at \S+Z, more than 10 minutes ahead of this node's clock/,
      );
    }
  });

  const living = (ms: number) =>
    sampleManifest({
      createdAt: new Date(NOW - 86_400_000).toISOString(),
      expiresAt: new Date(NOW - 86_400_000 + ms).toISOString(),
    });

  it.each([
    ["until the year 9999", Date.parse("9999-12-31T23:59:59.000Z") - NOW, "refuse"],
    ["a day over the limit", MAX_MANIFEST_LIFETIME_MS + 86_400_000, "refuse"],
    ["exactly the limit", MAX_MANIFEST_LIFETIME_MS, "accept"],
  ])("judges a manifest that lives %s", (_what, lifetime, kind) => {
    const d = checkRelease(signed(living(lifetime)), ctx());
    expect(d.kind).toBe(kind);
    if (d.kind === "refuse") {
      expect(d.code).toBe("MANIFEST_TOO_LONG_LIVED");
      expect(d.reason).toMatch(/over the 400-day limit/);
    }
  });

  it("does not judge the lifetime of a release it already accepted (signed under an older limit)", () => {
    const d = checkRelease(signed(living(3650 * 86_400_000)), ctx({ resuming: true }));
    expect(d.kind).toBe("accept");
  });

  it("does not judge the creation time of a release it resumes after a restart", () => {
    // Accepted while the clock said so; a clock set back since must not strand it.
    const d = checkRelease(signed(created(86_400_000)), ctx({ resuming: true }));
    expect(d.kind).toBe("accept");
  });
});

describe("a release built against other binary-layer code", () => {
  const OTHER = "0".repeat(64);
  const appOf = (m: ReleaseManifest) => m.artifacts.find((x) => x.kind === "app") as AppArtifact;
  /** The sample release with its app bundle's digest set (or left out), app-only or not. */
  function release(digest: string | undefined, o: { binary: boolean }): ReleaseManifest {
    const m = sampleManifest();
    const { binaryLayer: _, ...app } = appOf(m);
    return sampleManifest({
      artifacts: [
        { ...app, ...(digest === undefined ? {} : { binaryLayer: digest }) },
        ...(o.binary ? m.artifacts.filter((x) => x.kind === "binary") : []),
      ],
    });
  }
  const node = { platform: "linux-x64" as const, binaryLayer: BINARY_LAYER };
  const NEEDS =
    "it was built against different binary-layer code (boot/runtime); a binary release is needed";

  it.each([
    ["app-only, built against this binary", BINARY_LAYER, false, undefined],
    ["app-only, built against another binary layer", OTHER, false, NEEDS],
    ["app-only, not saying which", undefined, false, /does not say which binary-layer code/],
    ["another binary layer, with this platform's binary", OTHER, true, undefined],
  ] as const)("binaryLayerProblem(): %s", (_what, digest, binary, problem) => {
    const got = binaryLayerProblem(release(digest, { binary }), node);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(problem);
  });

  it("binaryLayerProblem(): a binary for another platform does not help this node", () => {
    const m = release(OTHER, { binary: true });
    expect(binaryLayerProblem(m, { ...node, platform: "macos-arm64" })).toBe(NEEDS);
  });

  it("checkRelease() refuses an app-only release built against other binary-layer code, before any download", () => {
    expect(checkRelease(signed(release(OTHER, { binary: false })), ctx())).toEqual({
      kind: "refuse",
      version: good.version,
      code: "NEEDS_BINARY",
      reason: `Cannot apply release ${good.version}: ${NEEDS}`,
    });
  });

  it("checkRelease() takes it when it brings this platform's binary, and an app-only one built against this binary", () => {
    expect(checkRelease(signed(release(OTHER, { binary: true })), ctx()).kind).toBe("accept");
    expect(checkRelease(signed(release(BINARY_LAYER, { binary: false })), ctx()).kind).toBe(
      "accept",
    );
  });
});
