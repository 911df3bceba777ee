import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import {
  canonicalJson,
  parseSignedManifest,
  sha256Hex,
  sha512Hex,
  verifyManifest,
} from "../../src/upgrade";
import { benchFigure } from "../support/benchFigure";
import { tempDir } from "../support/tempDir";
import { httpFanOutSeconds, randomRelease, spreadSeconds } from "../support/upgradeBench";
import { releaseKey } from "../support/upgradeRelease";

// Must-show 6: a 64 MiB release spread over a 20-process testnet, capped and uncapped,
// each against a baseline measured here; and verifying it against `sha512sum`.
const MiB = 1024 * 1024;
const N = 20;
const SIZE = 64 * MiB;
const CAP = 5 * MiB;
/** Upload limit for the uncapped run: far above what loopback and the nodes reach. */
const UNCAPPED = 1024 * MiB;

const base = (key: ReturnType<typeof releaseKey>) => ({
  ...key.env,
  // Fetched and verified only: the random artifact is never evaluated.
  ANODE_UPGRADE_POLICY: "notify",
});

it("a 64 MiB release reaches 20 nodes capped at 5 MiB/s upload, near S/U", async () => {
  const dir = tempDir("anode-bench-upgrade-");
  try {
    const key = releaseKey(dir.path);
    const r = randomRelease(dir.path, { version: "9.0.0", size: SIZE, key });
    const spread = await spreadSeconds(dir.path, {
      n: N,
      env: { ...base(key), ANODE_UPGRADE_UPLOAD_BYTES_PER_SECOND: String(CAP) },
      manifestFile: r.manifestFile,
      version: "9.0.0",
    });
    const { seconds } = spread;
    const bound = SIZE / CAP;
    console.log(
      `upgrade capped: ${SIZE / MiB} MiB to ${N - 1} nodes at ${CAP / MiB} MiB/s upload each in ${seconds.toFixed(1)} s; S/U = ${bound.toFixed(1)} s; ratio ${(seconds / bound).toFixed(2)} (goal <= 1.5); publisher sent ${(spread.publisherShare * 100).toFixed(0)}% of uploads; offences ${JSON.stringify(spread.offences)}`,
    );
    benchFigure("upgrade capped / (S/U)", seconds / bound, "lower");
    expect(seconds).toBeGreaterThan(0);
  } finally {
    dir.remove();
  }
});

it("a 64 MiB release reaches 20 nodes uncapped, against 19 clients fetching from one server", async () => {
  const dir = tempDir("anode-bench-upgrade-");
  try {
    const key = releaseKey(dir.path);
    const r = randomRelease(dir.path, { version: "9.0.0", size: SIZE, key });
    const spread = await spreadSeconds(dir.path, {
      n: N,
      env: { ...base(key), ANODE_UPGRADE_UPLOAD_BYTES_PER_SECOND: String(UNCAPPED) },
      manifestFile: r.manifestFile,
      version: "9.0.0",
    });
    const { seconds } = spread;
    const baseline = await httpFanOutSeconds(r.artifactFile, N - 1);
    console.log(
      `upgrade uncapped: ${SIZE / MiB} MiB to ${N - 1} nodes in ${seconds.toFixed(1)} s; ${N - 1} HTTP clients from one server ${baseline.toFixed(1)} s; ratio ${(seconds / baseline).toFixed(2)}; publisher sent ${(spread.publisherShare * 100).toFixed(0)}% of uploads; offences ${JSON.stringify(spread.offences)}`,
    );
    benchFigure("upgrade uncapped / HTTP fan-out", seconds / baseline, "lower");
    expect(seconds).toBeGreaterThan(0);
  } finally {
    dir.remove();
  }
});

it("verifying a 64 MiB release costs little more than sha512sum", () => {
  const dir = tempDir("anode-bench-upgrade-");
  try {
    const key = releaseKey(dir.path);
    const r = randomRelease(dir.path, { version: "9.0.0", size: SIZE, key });
    const text = readFileSync(r.manifestFile, "utf8");
    const verify = () => {
      const signed = parseSignedManifest(text);
      verifyManifest(signed.manifest, signed.signatures, key.trust);
      const a = signed.manifest.artifacts[0];
      if (a === undefined) throw new Error("no artifact");
      const bytes = readFileSync(r.artifactFile);
      for (let i = 0; i < a.chunks.length; i++) {
        const chunk = bytes.subarray(i * a.chunkSize, (i + 1) * a.chunkSize);
        if (sha256Hex(chunk) !== a.chunks[i]) throw new Error(`chunk ${i} mismatch`);
      }
      if (sha512Hex(bytes) !== a.sha512) throw new Error("sha512 mismatch");
    };
    const sha512sum = () => execFileSync("sha512sum", [r.artifactFile]);
    const best = (f: () => unknown) => {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        f();
        min = Math.min(min, performance.now() - t);
      }
      return min;
    };
    best(verify);
    const ours = best(verify);
    const theirs = best(sha512sum);
    console.log(
      `upgrade verify: ${SIZE / MiB} MiB release (signature, sha512, ${SIZE / MiB} chunk sha256) ${ours.toFixed(0)} ms; sha512sum ${theirs.toFixed(0)} ms; ratio ${(ours / theirs).toFixed(2)} (goal <= 1.5)`,
    );
    expect(canonicalJson(parseSignedManifest(text))).toBeTruthy();
  } finally {
    dir.remove();
  }
});
