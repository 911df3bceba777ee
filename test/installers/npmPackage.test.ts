import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { copySourceTree } from "./support/sourceCopy";

// A fresh clone as a new user meets it: `npm ci` (which fails on a lock file out of step
// with package.json), then `npx anode`, then the packed tarball installed globally.
const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env, NO_COLOR: "1" },
    timeout: 240_000,
  });
  const out = `${cmd} ${args.join(" ")} (exit ${r.status}${r.error ? `, ${r.error.message}` : ""})\n${r.stdout}\n${r.stderr}`;
  return { code: r.status, stdout: r.stdout ?? "", out };
}

describe("the npm package, from a fresh clone", () => {
  const work = tempDir("anode-npm-");
  const clone = join(work.path, "clone");
  const prefix = join(work.path, "global");

  beforeAll(() => {
    copySourceTree(clone);
  });
  afterAll(() => work.remove());

  it("npm ci succeeds with the committed lock file and builds dist/", () => {
    const r = sh(npm, ["ci", "--no-audit", "--no-fund"], clone);
    expect(r.code, r.out).toBe(0);
    expect(existsSync(join(clone, "dist/anode.cjs")), r.out).toBe(true);
  }, 300_000);

  it("npx anode --version prints the version", () => {
    const r = sh(npm, ["exec", "--no", "--", "anode", "--version"], clone);
    expect(r.code, r.out).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  }, 60_000);

  it("npm pack, then a global install of the tarball, gives a working anode", () => {
    const packed = sh(npm, ["pack", "--pack-destination", work.path], clone);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(work.path).find((f) => f.endsWith(".tgz"));
    expect(tarball, packed.out).toBe(`anode-${version}.tgz`);
    const installed = sh(
      npm,
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        join(work.path, tarball ?? ""),
      ],
      work.path,
    );
    expect(installed.code, installed.out).toBe(0);
    const anode = join(prefix, "bin", "anode");
    const v = sh(anode, ["--version"], work.path);
    expect(v.code, v.out).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    // A command that opens the embedded store's config and key: the installed package's
    // own dependencies (not this checkout's) are enough.
    const data = join(work.path, "data");
    const id = sh(anode, ["--data-dir", data, "id", "--json"], work.path);
    expect(id.code, id.out).toBe(0);
    expect((JSON.parse(id.stdout) as { id: string }).id).toMatch(/^[0-9a-f]{40}$/);
  }, 300_000);
});
