import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, trustedKeyOf } from "../../src/upgrade";
import { verifiesWithOpenssl } from "../support/ed25519";
import { tempDir } from "../support/tempDir";
import { acquireMachineLock } from "./support/machineLock";
import { hasTool, isRoot, run } from "./support/tools";
import { linuxRunSteps, npmScriptsOf, type WorkflowStep } from "./support/workflowSteps";

// A release made the way release.yml makes it, into a folder outside the repository: the
// npm scripts of the workflow's Linux jobs, run from the workflow's own text in its order,
// then installed the ways a user installs it. The one step that needs the internet
// (release:winsw downloads the pinned WinSW) is left out, and the release step is told
// --skip-winsw instead; build/lib/winsw.mjs's pin check has its own unit test.

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  version: string;
  repository: { url: string };
};
const version = pkg.version;
const slug = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(pkg.repository.url)?.[1] ?? "";
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const BINARIES = [
  "anode-linux-x64",
  "anode-linux-arm64",
  "anode-macos-x64",
  "anode-macos-arm64",
  "anode-win-x64.exe",
];

/**
 * What the macOS job changes (it cannot run here: codesign and pkgbuild are macOS tools):
 * ad-hoc signing rewrites the two binaries' bytes, and build-pkg.sh adds the .pkg files.
 */
function simulateMacosJob(out: string): void {
  for (const arch of ["x64", "arm64"]) {
    appendFileSync(join(out, `anode-macos-${arch}`), "\0stand-in for an ad-hoc code signature");
    writeFileSync(join(out, `anode-macos-${arch}.pkg`), `stand-in for the ${arch} package`);
  }
}

describe("a release made by release.yml's npm scripts", () => {
  const work = tempDir("anode-release-");
  const out = join(work.path, "release");
  const key = generateSigningKey("pipeline-test");
  const trustFile = join(work.path, "trusted-keys.json");
  const ran: string[] = [];
  let steps: WorkflowStep[] = [];

  beforeAll(() => {
    for (const tool of ["ruby", "dpkg-deb", "openssl"]) {
      if (!hasTool(tool))
        throw new Error(
          `Cannot run the release pipeline: ${tool} is not installed (.ci/run installs it)`,
        );
    }
    writeFileSync(trustFile, JSON.stringify({ threshold: 1, keys: [trustedKeyOf(key)] }));
    steps = linuxRunSteps(".github/workflows/release.yml").filter(
      (s) => npmScriptsOf(s).length > 0,
    );
    const env = {
      ...process.env,
      RELEASE_DIR: out,
      RUNNER_TEMP: work.path,
      GITHUB_REF_NAME: `v${version}`,
      GITHUB_REPOSITORY: slug,
      ANODE_SIGNING_KEY: JSON.stringify(key),
      // The binaries (and so the installers) trust this test's key, not the project's.
      ANODE_TRUSTED_KEYS_FILE: trustFile,
      NO_COLOR: "1",
    };
    for (const step of steps) {
      if (step.job === "publish" && !ran.includes("(macos-sign)")) {
        simulateMacosJob(out);
        ran.push("(macos-sign)");
      }
      if (npmScriptsOf(step).includes("release:winsw")) continue;
      const script = step.run.replace("npm run release -- ", "npm run release -- --skip-winsw ");
      const r = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
        env,
        encoding: "utf8",
        timeout: 900_000,
      });
      if (r.status !== 0) {
        throw new Error(
          `step "${step.name}" of ${step.job} failed (${r.status}):\n${r.stdout}\n${r.stderr}`,
        );
      }
      ran.push(...npmScriptsOf(step));
    }
  }, 1_000_000);

  afterAll(() => work.remove());

  it("runs release:winsw, release, release:remanifest, in that order", () => {
    expect(steps.flatMap(npmScriptsOf)).toEqual(["release:winsw", "release", "release:remanifest"]);
    expect(ran).toEqual(["release", "(macos-sign)", "release:remanifest"]);
  });

  it("writes every file, and SHA256SUMS lists each with its bytes' hash", () => {
    const published = readdirSync(out).filter(
      (f) => !f.startsWith(".") && !f.startsWith("SHA256SUMS"),
    );
    for (const f of [
      ...BINARIES,
      `anode-app-${version}.cjs`,
      "manifest.json",
      `anode_${version}_amd64.deb`,
      `anode_${version}_arm64.deb`,
      "install.sh",
      "uninstall.sh",
      "install.ps1",
      "uninstall.ps1",
      "anode.rb",
    ])
      expect(published).toContain(f);
    expect(existsSync(join(out, "macos-pkg/build-pkg.sh"))).toBe(true);
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8").trim().split("\n");
    const listed = new Map(sums.map((l) => [l.slice(66), l.slice(0, 64)]));
    expect([...listed.keys()].sort()).toEqual(
      published.filter((f) => statSync(join(out, f)).isFile()).sort(),
    );
    for (const [name, hash] of listed) expect(sha256(join(out, name)), name).toBe(hash);
  });

  it("signs SHA256SUMS as one line of base64 that openssl's raw ed25519 check accepts", () => {
    const text = readFileSync(join(out, "SHA256SUMS.sig"), "utf8");
    expect(text).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    const sums = readFileSync(join(out, "SHA256SUMS"));
    expect(verifiesWithOpenssl(key.publicKey, sums, Buffer.from(text, "base64"))).toBe(true);
  });

  it("installs with its own install.sh, which checks the signature with the keys built in", () => {
    const script = readFileSync(join(out, "install.sh"), "utf8");
    expect(script).toContain(
      `DEFAULT_BASE_URL="https://github.com/${slug}/releases/latest/download"`,
    );
    expect(readFileSync(join(out, "install.ps1"), "utf8")).toContain(
      `"https://github.com/${slug}/releases/latest/download"`,
    );
    const root = join(work.path, "root");
    const r = run("sh", [
      join(out, "install.sh"),
      "--release-dir",
      out,
      "--root",
      root,
      "--no-enable",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("signed by a trusted release key");
    // In a staging root the /usr/local/bin link points at the real root: run the binary.
    const v = run(join(root, "usr/local/lib/anode/anode"), ["--version"]);
    expect(v.stdout.trim()).toBe(version);
    const other = trustedKeyOf(generateSigningKey("someone-else")).publicKey;
    const refused = run("sh", [
      join(out, "install.sh"),
      "--release-dir",
      out,
      "--root",
      join(work.path, "refused"),
      "--no-enable",
      "--pubkey",
      other,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not a valid signature by a trusted release key");
  });

  it("has a manifest the released binary verifies, signatures and artifacts", () => {
    const r = run(join(out, "anode-linux-x64"), ["release", "verify", join(out, "manifest.json")]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it("re-hashes after the macOS job: the signed bytes and the .pkg files are what it lists", () => {
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    for (const f of [
      "anode-macos-x64",
      "anode-macos-arm64",
      "anode-macos-x64.pkg",
      "anode-macos-arm64.pkg",
    ]) {
      expect(sums).toContain(`${sha256(join(out, f))}  ${f}\n`);
    }
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as {
      manifest: { artifacts: Array<{ name: string; size: number }> };
    };
    const mac = manifest.manifest.artifacts.find((a) => a.name === "anode-macos-arm64");
    expect(mac?.size).toBe(statSync(join(out, "anode-macos-arm64")).size);
  });

  it("renders a formula whose URLs are this version's release and whose sha256s match", () => {
    const formula = readFileSync(join(out, "anode.rb"), "utf8");
    const pairs = [...formula.matchAll(/url "([^"]+)"\s+sha256 "([0-9a-f]{64})"/g)];
    expect(pairs).toHaveLength(4);
    for (const [, url = "", hash] of pairs) {
      const name = url.split("/").pop() ?? "";
      expect(url).toBe(`https://github.com/${slug}/releases/download/v${version}/${name}`);
      expect(sha256(join(out, name)), name).toBe(hash);
    }
    const ruby = run("ruby", ["-c", join(out, "anode.rb")]);
    expect(ruby.code, ruby.stderr).toBe(0);
  });

  it("installs its .deb with dpkg and purges it", async () => {
    if (!isRoot)
      throw new Error(
        "Cannot install the .deb: this test installs a package, run it as root (CI does)",
      );
    const release = await acquireMachineLock("anode-deb-test", 300_000);
    try {
      if (run("dpkg-query", ["-W", "anode"]).code === 0) {
        throw new Error(
          "Cannot install the .deb: a package named anode is already installed on this machine",
        );
      }
      const deb = join(out, `anode_${version}_amd64.deb`);
      const r = run("dpkg", ["-i", deb]);
      expect(r.code, r.stderr).toBe(0);
      expect(run("/usr/bin/anode", ["--version"]).stdout.trim()).toBe(version);
    } finally {
      run("dpkg", ["--purge", "anode"]);
      release();
    }
    expect(existsSync("/usr/bin/anode")).toBe(false);
  }, 300_000);
});
