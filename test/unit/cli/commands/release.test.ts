import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BINARY_LAYER, HOST_API_VERSION } from "../../../../src/boot";
import {
  MAX_MANIFEST_LIFETIME_MS,
  parseSignedManifest,
  parseSigningKey,
  signManifest,
  trustedKeyOf,
} from "../../../../src/upgrade";
import { cli } from "../../../support/cliHarness";
import { provideSwapEngines, tinyAppBundle } from "../../../support/tinyRelease";
import { useTempDir } from "../../../support/useTempDir";

const dir = useTempDir("anode-release-cli-");

/** A key made by `release keygen`, its file and the trusted-keys file that trusts it. */
async function keyIn(sub: string, id: string) {
  const keyFile = join(dir(), `${sub}-${id}.key`);
  const r = await cli(["release", "keygen", id, "--out", keyFile]);
  expect(r.code, r.stderr).toBe(0);
  const key = parseSigningKey(JSON.parse(readFileSync(keyFile, "utf8")));
  const trustFile = join(dir(), `${sub}-${id}.trust.json`);
  writeFileSync(trustFile, JSON.stringify({ threshold: 1, keys: [trustedKeyOf(key)] }));
  return { keyFile, trustFile, key };
}

function appFile(name: string, version: string): string {
  const file = join(dir(), name);
  writeFileSync(file, tinyAppBundle(version));
  return file;
}

describe("anode release keygen", () => {
  it("writes a secret key file readable only by its owner and prints the public entry", async () => {
    const out = join(dir(), "ops.key");
    const r = await cli(["release", "keygen", "ops-1", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const key = parseSigningKey(JSON.parse(readFileSync(out, "utf8")));
    expect(key.id).toBe("ops-1");
    expect(r.stdout).toContain(`secret key written to ${out}`);
    expect(r.stdout).toContain(JSON.stringify(trustedKeyOf(key)));
  });

  it("--json prints the file and the public key entry", async () => {
    const out = join(dir(), "json.key");
    const r = await cli(["--json", "release", "keygen", "json-key", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const key = parseSigningKey(JSON.parse(readFileSync(out, "utf8")));
    expect(JSON.parse(r.stdout)).toEqual({ file: out, ...trustedKeyOf(key) });
  });

  it("refuses an id with characters outside A-Z a-z 0-9 . _ -", async () => {
    const r = await cli(["release", "keygen", "bad/id", "--out", join(dir(), "x.key")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot make key "bad/id"');
  });

  it("never overwrites an existing key file", async () => {
    const out = join(dir(), "taken.key");
    writeFileSync(out, "precious");
    const r = await cli(["release", "keygen", "again", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to overwrite a signing key");
    expect(readFileSync(out, "utf8")).toBe("precious");
  });
});

describe("anode release sign", () => {
  it("signs an app bundle into a manifest beside it, versioned from the bundle", async () => {
    const { keyFile } = await keyIn("sign", "signer");
    const app = appFile("app-0.4.0.cjs", "0.4.0");
    const r = await cli(["release", "sign", "--key", keyFile, "--app", app]);
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir(), "manifest.json");
    expect(r.stdout).toBe(`release 0.4.0 (stable) signed by signer: ${out}\n`);
    const signed = parseSignedManifest(readFileSync(out));
    expect(signed.manifest.version).toBe("0.4.0");
    expect(signed.manifest.artifacts).toEqual([
      // The host contract and binary-layer digest the bundle says it was built against.
      expect.objectContaining({
        kind: "app",
        name: "app-0.4.0.cjs",
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
      }),
    ]);
    expect(signed.signatures.map((s) => s.keyId)).toEqual(["signer"]);
  });

  it("--activate and --instruction go into the signed manifest (an activation height, an appup)", async () => {
    const { keyFile } = await keyIn("sign", "activator");
    provideSwapEngines("sign-activate", {
      consensus: { name: "consensus", version: "2.0.0", init: () => ({}) },
      api: { name: "api", version: "2.0.0", init: () => ({}) },
    });
    const file = join(dir(), "app-activate.cjs");
    writeFileSync(file, tinyAppBundle("0.6.0", { swap: "sign-activate" }));
    const out = join(dir(), "activate.json");
    const r = await cli([
      "release",
      "sign",
      "--key",
      keyFile,
      "--app",
      file,
      "--out",
      out,
      "--activate",
      "main@120",
      "--instruction",
      "api=restart",
      "--instruction",
      "consensus=swap",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { manifest } = parseSignedManifest(readFileSync(out));
    expect(manifest.activate).toEqual({ chain: "main", height: 120 });
    expect(manifest.artifacts[0]).toMatchObject({
      engines: { consensus: "2.0.0", api: "2.0.0" },
      instructions: { api: "restart", consensus: "swap" },
    });
  });

  it("refuses a bad --activate and an --instruction for an engine the bundle does not have", async () => {
    const { keyFile } = await keyIn("sign", "bad-activate");
    const app = appFile("app-0.6.1.cjs", "0.6.1");
    const base = [
      "release",
      "sign",
      "--key",
      keyFile,
      "--app",
      app,
      "--out",
      join(dir(), "x.json"),
    ];
    for (const bad of ["main", "main@1", "@5", "main@x"]) {
      const r = await cli([...base, "--activate", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain("--activate wants <chain>@<height>");
    }
    const unknown = await cli([...base, "--instruction", "consensus=swap"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("consensus, which is not an engine of the app bundle");
    const how = await cli([...base, "--instruction", "api=reload"]);
    expect(how.code).toBe(2);
    expect(how.stderr).toContain("--instruction wants <engine>=<swap|restart|binary>");
  });

  it("signs k-of-n with every --key, takes binaries per platform and reports them with --json", async () => {
    const a = await keyIn("kofn", "a");
    const b = await keyIn("kofn", "b");
    const app = appFile("app-k.cjs", "0.5.0");
    const bin = join(dir(), "anode-linux-x64");
    writeFileSync(bin, Buffer.alloc(40_000, 7));
    const out = join(dir(), "kofn.json");
    const r = await cli([
      "--json",
      "release",
      "sign",
      ...["--key", a.keyFile, "--key", b.keyFile],
      ...["--app", app, "--binary", `linux-x64=${bin}`],
      ...["--release-version", "0.5.1", "--channel", "beta", "--chunk-size", "16384"],
      ...["--expires-days", "2", "--out", out],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: out,
      version: "0.5.1",
      signers: ["a", "b"],
      artifacts: [
        expect.objectContaining({ name: "app-k.cjs", kind: "app", platform: "any", chunks: 1 }),
        { name: "anode-linux-x64", kind: "binary", platform: "linux-x64", size: 40_000, chunks: 3 },
      ],
    });
    const { manifest } = parseSignedManifest(readFileSync(out));
    expect(manifest.channel).toBe("beta");
    const days = (Date.parse(manifest.expiresAt) - Date.parse(manifest.createdAt)) / 86_400_000;
    expect(days).toBe(2);
  });

  it.each([
    [[], "give at least one --key"],
    [["--key", "k", "--channel", "nightly"], "--channel must be one of stable, beta"],
    [["--key", "k", "--binary", "amiga=file"], "--binary wants <platform>=<file>"],
    [["--key", "k", "--binary", "linux-x64"], "--binary wants <platform>=<file>"],
    [["--key", "k"], "give --app and/or --binary"],
  ])("refuses %j as a usage error: %s", async (args, message) => {
    const r = await cli(["release", "sign", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("refuses a release version that is not semantic", async () => {
    const { keyFile } = await keyIn("semver", "k");
    const bin = join(dir(), "bin-semver");
    writeFileSync(bin, "x");
    const r = await cli([
      ...["release", "sign", "--key", keyFile, "--binary", `linux-x64=${bin}`],
      ...["--release-version", "latest"],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--release-version must be a semantic version");
  });

  it.each([
    ["--release-version 0.7.0+a", "0.7.0", ["--release-version", "0.7.0+a"], "0.7.0+a"],
    ["an app bundle versioned 0.7.0+b", "0.7.0+b", [], "0.7.0+b"],
  ])(
    "refuses build metadata from %s: a release's version is its one identity",
    async (_what, appVersion, extra, shown) => {
      const { keyFile } = await keyIn(`meta-${appVersion}`, "k");
      const app = appFile(`app-${appVersion}.cjs`, appVersion);
      const out = join(dir(), `meta-${appVersion}.json`);
      const r = await cli([
        "release",
        "sign",
        "--key",
        keyFile,
        "--app",
        app,
        "--out",
        out,
        ...extra,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `Cannot sign: the release version ${shown} has build metadata (+...); give --release-version without it`,
      );
      expect(existsSync(out)).toBe(false);
    },
  );

  it("refuses --expires-days beyond the manifest lifetime every node enforces", async () => {
    const days = MAX_MANIFEST_LIFETIME_MS / 86_400_000;
    const { keyFile } = await keyIn("lifetime", "k");
    const app = appFile("app-lifetime.cjs", "0.4.1");
    const over = await cli([
      ...["release", "sign", "--key", keyFile, "--app", app],
      ...["--expires-days", String(days + 1), "--out", join(dir(), "over.json")],
    ]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(
      `Cannot use --expires-days ${days + 1}: expected an integer from 1 to ${days}`,
    );
    const at = await cli([
      ...["release", "sign", "--key", keyFile, "--app", app],
      ...["--expires-days", String(days), "--out", join(dir(), "at.json")],
    ]);
    expect(at.code, at.stderr).toBe(0);
  });

  it("names a file it cannot read", async () => {
    const { keyFile } = await keyIn("missing", "k");
    const missing = join(dir(), "no-such-app.cjs");
    const r = await cli(["release", "sign", "--key", keyFile, "--app", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Cannot read ${missing}`);
  });
});

describe("anode release verify", () => {
  async function signedRelease(sub: string) {
    const k = await keyIn(sub, "rk");
    const app = join(dir(), `${sub}-app.cjs`);
    writeFileSync(app, tinyAppBundle("0.6.0"));
    const out = join(dir(), `${sub}-manifest.json`);
    const r = await cli(["release", "sign", "--key", k.keyFile, "--app", app, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    return { ...k, app, manifest: out };
  }

  it("checks the signatures against a trusted-keys file and the artifacts beside the manifest", async () => {
    const s = await signedRelease("ok");
    const r = await cli(["release", "verify", s.manifest, "--trusted-keys", s.trustFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^release 0\.6\.0 \(stable\): signed by rk \(1 of 1 trusted keys, 1 required\), expires \S+\n/,
    );
    expect(r.stdout).toContain("  ok-app.cjs: matches\n");
  });

  it("--json lists the signers and which artifacts were checked; absent ones are not", async () => {
    const s = await signedRelease("json");
    const empty = join(dir(), "empty-dir");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(empty);
    const r = await cli([
      ...["--json", "release", "verify", s.manifest],
      ...["--trusted-keys", s.trustFile, "--dir", empty],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      version: "0.6.0",
      channel: "stable",
      signers: ["rk"],
      threshold: 1,
      trustedKeys: ["rk"],
      artifacts: [{ name: "json-app.cjs", checked: false }],
    });
  });

  it("takes the trust from upgrade.trustedKeys (here the environment) without --trusted-keys", async () => {
    const s = await signedRelease("env");
    const trust = readFileSync(s.trustFile, "utf8");
    const r = await cli(["--data-dir", dir(), "release", "verify", s.manifest], {
      env: { ANODE_UPGRADE_TRUSTED_KEYS: trust },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("signed by rk");
  });

  it("refuses to verify when nothing says which keys to trust", async () => {
    const s = await signedRelease("notrust");
    const r = await cli(["--data-dir", dir(), "release", "verify", s.manifest]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot verify: no trusted keys");
  });

  it("fails a release signed by a key the trusted keys do not hold", async () => {
    const s = await signedRelease("stranger");
    const other = await keyIn("stranger", "other");
    const r = await cli(["release", "verify", s.manifest, "--trusted-keys", other.trustFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toBe("");
  });

  it("fails an artifact whose bytes differ from the signed ones", async () => {
    const s = await signedRelease("tampered");
    writeFileSync(s.app, tinyAppBundle("0.6.1"));
    const r = await cli(["release", "verify", s.manifest, "--trusted-keys", s.trustFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("does not match its signed size and SHA-512");
  });

  it("fails a release whose whole-file hash matches but one chunk hash does not, naming the chunk", async () => {
    // What a node would only find mid-download: size and SHA-512 match, chunk 1 is wrong.
    const k = await keyIn("chunk", "rk");
    const app = join(dir(), "chunk-app.cjs");
    const bundle = Buffer.concat([
      Buffer.from(tinyAppBundle("0.6.2")),
      Buffer.from(`\n//${"x".repeat(40_000)}\n`),
    ]);
    writeFileSync(app, bundle);
    const out = join(dir(), "chunk-manifest.json");
    const signed = await cli([
      ...["release", "sign", "--key", k.keyFile, "--app", app],
      ...["--chunk-size", "16384", "--out", out],
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const { manifest } = parseSignedManifest(readFileSync(out));
    const artifact = manifest.artifacts[0] as (typeof manifest.artifacts)[number];
    expect(artifact.chunks).toHaveLength(3);
    artifact.chunks[1] = "0".repeat(64);
    const resigned = { manifest, signatures: [signManifest(manifest, k.key)] };
    writeFileSync(out, JSON.stringify(resigned, null, 2));
    const r = await cli(["release", "verify", out, "--trusted-keys", k.trustFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Cannot verify release 0.6.2: ${app} chunk 1 (bytes 16384 to 32767) does not match its signed SHA-256`,
    );
  });

  it("reports a manifest file that is not a signed manifest as a bad file", async () => {
    const bad = join(dir(), "not-a-manifest.json");
    writeFileSync(bad, '{"hello":1}');
    const r = await cli(["release", "verify", bad, "--trusted-keys", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
  });
});

/** Two holders' keys made by keygen, their public entries (keygen --json) and a 2-of-2 list. */
async function twoHolders(sub: string) {
  const holders = [];
  for (const id of ["holder-a", "holder-b"]) {
    const keyFile = join(dir(), `${sub}-${id}.key`);
    const r = await cli(["--json", "release", "keygen", id, "--out", keyFile]);
    expect(r.code, r.stderr).toBe(0);
    const pubFile = join(dir(), `${sub}-${id}.pub.json`);
    writeFileSync(pubFile, r.stdout);
    holders.push({ id, keyFile, pubFile });
  }
  const [a, b] = holders as [(typeof holders)[0], (typeof holders)[0]];
  const trustFile = join(dir(), `${sub}-trust.json`);
  const t = await cli([
    ...["release", "trust", "--threshold", "2", "--out", trustFile],
    ...[a.pubFile, b.pubFile],
  ]);
  expect(t.code, t.stderr).toBe(0);
  return { a, b, trustFile };
}

describe("anode release trust", () => {
  it("writes a k-of-n trusted-keys file from the public entries keygen printed", async () => {
    const { a, b, trustFile } = await twoHolders("trust");
    const trust = JSON.parse(readFileSync(trustFile, "utf8"));
    const keyA = parseSigningKey(JSON.parse(readFileSync(a.keyFile, "utf8")));
    const keyB = parseSigningKey(JSON.parse(readFileSync(b.keyFile, "utf8")));
    expect(trust).toEqual({ threshold: 2, keys: [trustedKeyOf(keyA), trustedKeyOf(keyB)] });
    expect(statSync(trustFile).mode & 0o777).toBe(0o644);
  });

  it("prints the list without --out, and carries over the keys of an existing list", async () => {
    const { trustFile } = await twoHolders("carry");
    const c = join(dir(), "carry-c.key");
    const k = await cli(["--json", "release", "keygen", "holder-c", "--out", c]);
    const cPub = join(dir(), "carry-c.pub.json");
    writeFileSync(cPub, k.stdout);
    const r = await cli(["release", "trust", "--threshold", "2", trustFile, cPub]);
    expect(r.code, r.stderr).toBe(0);
    const trust = JSON.parse(r.stdout);
    expect(trust.threshold).toBe(2);
    expect(trust.keys.map((x: { id: string }) => x.id)).toEqual([
      "holder-a",
      "holder-b",
      "holder-c",
    ]);
  });

  it("refuses a secret key file, so a secret never lands in a trust list", async () => {
    const { a } = await twoHolders("secret");
    const r = await cli(["release", "trust", "--threshold", "1", a.keyFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Cannot use ${a.keyFile}: it holds a secret key`);
    expect(r.stdout).toBe("");
  });

  it("refuses one public key renamed into a second entry, so one holder cannot be k of n twice", async () => {
    const { a } = await twoHolders("dupkey");
    const renamed = join(dir(), "dupkey-renamed.pub.json");
    writeFileSync(
      renamed,
      JSON.stringify({ ...JSON.parse(readFileSync(a.pubFile, "utf8")), id: "holder-c" }),
    );
    const r = await cli(["release", "trust", "--threshold", "2", a.pubFile, renamed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Cannot use the trusted keys: keys[1].publicKey is the same key as keys[0] (holder-a)",
    );
    expect(r.stdout).toBe("");
  });

  it("refuses a threshold above the number of keys, and an existing --out without --force", async () => {
    const { a, b, trustFile } = await twoHolders("bad");
    const high = await cli(["release", "trust", "--threshold", "3", a.pubFile, b.pubFile]);
    expect(high.code).toBe(2);
    expect(high.stderr).toContain("threshold 3 is more than the 2 keys");
    const again = await cli([
      ...["release", "trust", "--threshold", "1", "--out", trustFile],
      ...[a.pubFile],
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("it exists (add --force to replace it)");
    const forced = await cli([
      ...["release", "trust", "--threshold", "1", "--out", trustFile, "--force"],
      ...[a.pubFile],
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(trustFile, "utf8")).keys).toHaveLength(1);
  });
});

describe("anode release sign --manifest (k-of-n from separate key holders)", () => {
  async function signedByA(sub: string) {
    const h = await twoHolders(sub);
    const app = appFile(`${sub}-app.cjs`, "0.7.0");
    const manifest = join(dir(), `${sub}-manifest.json`);
    const r = await cli(["release", "sign", "--key", h.a.keyFile, "--app", app, "--out", manifest]);
    expect(r.code, r.stderr).toBe(0);
    return { ...h, app, manifest };
  }

  it("adds a second holder's signature without changing the manifest body, and verify then reports 2 of 2", async () => {
    const s = await signedByA("cosign");
    const short = await cli(["release", "verify", s.manifest, "--trusted-keys", s.trustFile]);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain(
      "1 of the 2 required signatures (signed by holder-a; not yet by holder-b)",
    );
    const before = parseSignedManifest(readFileSync(s.manifest));
    const r = await cli(["release", "sign", "--manifest", s.manifest, "--key", s.b.keyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `release 0.7.0: signed by holder-b; it now carries 2 signature(s) (holder-a, holder-b): ${s.manifest}\n`,
    );
    const after = parseSignedManifest(readFileSync(s.manifest));
    expect(after.manifest).toEqual(before.manifest);
    expect(after.signatures[0]).toEqual(before.signatures[0]);
    const ok = await cli(["release", "verify", s.manifest, "--trusted-keys", s.trustFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("signed by holder-a, holder-b (2 of 2 trusted keys, 2 required)");
  });

  it("co-signs an unsigned manifest into --out, leaving the input as it was", async () => {
    const s = await signedByA("unsigned");
    const signed = parseSignedManifest(readFileSync(s.manifest));
    const bare = join(dir(), "unsigned-bare.json");
    writeFileSync(bare, JSON.stringify({ manifest: signed.manifest, signatures: [] }));
    const out = join(dir(), "unsigned-out.json");
    const r = await cli([
      ...["--json", "release", "sign", "--manifest", bare, "--dir", dir()],
      ...["--key", s.a.keyFile, "--key", s.b.keyFile, "--out", out],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: out,
      version: "0.7.0",
      added: ["holder-a", "holder-b"],
      signers: ["holder-a", "holder-b"],
    });
    expect(parseSignedManifest(readFileSync(bare)).signatures).toEqual([]);
    const ok = await cli([
      ...["release", "verify", out, "--trusted-keys", s.trustFile, "--dir", dir()],
    ]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("refuses a key that signed already", async () => {
    const s = await signedByA("twice");
    const r = await cli(["release", "sign", "--manifest", s.manifest, "--key", s.a.keyFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot sign release 0.7.0: key holder-a has signed it already");
  });

  it("refuses to sign when an artifact is missing or differs from the signed one", async () => {
    const s = await signedByA("unseen");
    const elsewhere = join(dir(), "unseen-empty");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(elsewhere);
    const gone = await cli([
      ...["release", "sign", "--manifest", s.manifest, "--key", s.b.keyFile],
      ...["--dir", elsewhere],
    ]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`unseen-app.cjs not in ${elsewhere}`);
    writeFileSync(s.app, tinyAppBundle("0.7.1"));
    const changed = await cli(["release", "sign", "--manifest", s.manifest, "--key", s.b.keyFile]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("does not match its signed size and SHA-512");
    expect(parseSignedManifest(readFileSync(s.manifest)).signatures).toHaveLength(1);
  });

  it("refuses an expired manifest and --app or --binary beside --manifest", async () => {
    const s = await signedByA("expired");
    const signed = parseSignedManifest(readFileSync(s.manifest));
    const old = join(dir(), "expired-old.json");
    const m = {
      ...signed.manifest,
      createdAt: "2020-01-01T00:00:00.000Z",
      expiresAt: "2020-02-01T00:00:00.000Z",
    };
    writeFileSync(old, JSON.stringify({ manifest: m, signatures: [] }));
    const r = await cli(["release", "sign", "--manifest", old, "--key", s.b.keyFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("its manifest expired at 2020-02-01T00:00:00.000Z");
    const both = await cli([
      ...["release", "sign", "--manifest", s.manifest, "--key", s.b.keyFile],
      ...["--app", s.app],
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--app cannot be used with --manifest");
  });
});

describe("anode release sums, and verify reading SHA256SUMS the way installers do", () => {
  /** A release folder: an app, a binary, a 2-of-2 manifest over them, signed by both. */
  async function releaseFolder(sub: string) {
    const h = await twoHolders(sub);
    const folder = join(dir(), `${sub}-release`);
    mkdirSync(folder);
    const app = join(folder, "anode-app-0.8.0.cjs");
    writeFileSync(app, tinyAppBundle("0.8.0"));
    writeFileSync(join(folder, "anode-linux-x64"), Buffer.alloc(20_000, 3));
    writeFileSync(join(folder, ".anode-release"), "not published\n");
    const manifest = join(folder, "manifest.json");
    const r = await cli([
      ...["release", "sign", "--key", h.a.keyFile, "--key", h.b.keyFile],
      ...["--app", app, "--binary", `linux-x64=${join(folder, "anode-linux-x64")}`],
      ...["--out", manifest],
    ]);
    expect(r.code, r.stderr).toBe(0);
    return { ...h, folder, manifest };
  }

  it("writes SHA256SUMS that sha256sum -c accepts and a one-line base64 signature openssl verifies", async () => {
    const f = await releaseFolder("sums");
    const r = await cli(["release", "sums", f.folder, "--key", f.b.keyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`SHA256SUMS of 3 files in ${f.folder}, signed by holder-b\n`);
    const sums = readFileSync(join(f.folder, "SHA256SUMS"), "utf8");
    expect(sums.split("\n").map((l) => l.slice(66))).toEqual([
      "anode-app-0.8.0.cjs",
      "anode-linux-x64",
      "manifest.json",
      "",
    ]);
    // The tools installers use; a machine without them fails here rather than skipping.
    execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: f.folder });
    const sig = readFileSync(join(f.folder, "SHA256SUMS.sig"), "utf8");
    expect(sig).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    const pub = JSON.parse(readFileSync(f.b.pubFile, "utf8")).publicKey as string;
    const der = Buffer.concat([
      Buffer.from("302a300506032b6570032100", "hex"),
      Buffer.from(pub, "base64"),
    ]);
    writeFileSync(join(f.folder, ".key.der"), der);
    writeFileSync(join(f.folder, ".sig.bin"), Buffer.from(sig.trim(), "base64"));
    const pem = execFileSync("openssl", ["pkey", "-pubin", "-inform", "DER", "-in", ".key.der"], {
      cwd: f.folder,
    });
    writeFileSync(join(f.folder, ".key.pem"), pem);
    const out = execFileSync(
      "openssl",
      [
        ...["pkeyutl", "-verify", "-pubin", "-inkey", ".key.pem", "-rawin"],
        ...["-in", "SHA256SUMS", "-sigfile", ".sig.bin"],
      ],
      { cwd: f.folder, encoding: "utf8" },
    );
    expect(out).toContain("Signature Verified Successfully");
    const v = await cli(["release", "verify", f.manifest, "--trusted-keys", f.trustFile]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain("  SHA256SUMS: 3 files match, signed by holder-b\n");
  });

  it("verify fails once a co-signature changed manifest.json after SHA256SUMS, naming it", async () => {
    const f = await releaseFolder("stale");
    expect((await cli(["release", "sums", f.folder, "--key", f.a.keyFile])).code).toBe(0);
    const c = await cli(["release", "keygen", "holder-c", "--out", join(dir(), "stale-c.key")]);
    expect(c.code, c.stderr).toBe(0);
    const cosign = await cli([
      ...["release", "sign", "--manifest", f.manifest, "--key", join(dir(), "stale-c.key")],
    ]);
    expect(cosign.code, cosign.stderr).toBe(0);
    const v = await cli(["release", "verify", f.manifest, "--trusted-keys", f.trustFile]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(
      "Cannot verify SHA256SUMS: it does not match the folder (manifest.json); run anode release sums again",
    );
    expect((await cli(["release", "sums", f.folder, "--key", f.a.keyFile])).code).toBe(0);
    const again = await cli(["release", "verify", f.manifest, "--trusted-keys", f.trustFile]);
    expect(again.code, again.stderr).toBe(0);
  });

  it("verify fails a SHA256SUMS without a signature, or signed by a key it does not trust", async () => {
    const f = await releaseFolder("untrusted");
    const other = await keyIn("untrusted", "stranger");
    expect((await cli(["release", "sums", f.folder, "--key", other.keyFile])).code).toBe(0);
    const v = await cli(["release", "verify", f.manifest, "--trusted-keys", f.trustFile]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain("SHA256SUMS.sig is not a signature by a trusted key");
    const { rmSync } = await import("node:fs");
    rmSync(join(f.folder, "SHA256SUMS.sig"));
    const unsigned = await cli(["release", "verify", f.manifest, "--trusted-keys", f.trustFile]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain("SHA256SUMS.sig is missing");
  });

  it("sums refuses without --key and for an empty folder", async () => {
    const { a } = await twoHolders("sumsbad");
    const noKey = await cli(["release", "sums", dir()]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("give --key <file>");
    const empty = join(dir(), "sumsbad-empty");
    mkdirSync(empty);
    const r = await cli(["release", "sums", empty, "--key", a.keyFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("holds no files");
  });
});
