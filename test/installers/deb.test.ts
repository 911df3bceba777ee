import { existsSync, lstatSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { makeFakeRelease } from "./support/fakeRelease";
import { acquireMachineLock } from "./support/machineLock";
import { hasTool, isRoot, run } from "./support/tools";

// This installs a real package on this machine, so it runs only as root with dpkg, and
// only when nothing called anode is there already (it would be removed by the purge).
function skipReason(): string | undefined {
  if (!hasTool("dpkg") || !hasTool("dpkg-deb")) return "dpkg not installed (a Debian system)";
  if (!isRoot) return "not root (run: sudo npx vitest run test/installers)";
  if (run("dpkg-query", ["-W", "anode"]).code === 0) return "a package named anode is installed";
  if (run("getent", ["passwd", "anode"]).code === 0) return "an account named anode exists";
  return undefined;
}
const reason = skipReason();
const why = reason === undefined ? "" : ` [skipped: ${reason}]`;

const getent = (db: string) => run("getent", [db, "anode"]);
const purge = () => run("dpkg", ["--purge", "anode"]);

describe.skipIf(reason !== undefined)(`the .deb on this machine${why}`, () => {
  const work = tempDir("anode-deb-");
  let deb = "";
  let release = () => {};

  beforeAll(async () => {
    release = await acquireMachineLock("anode-deb-test", 120_000);
    makeFakeRelease(work.path);
    const r = run("sh", [
      "installers/linux/build-deb.sh",
      "--binary",
      join(work.path, "anode-linux-x64"),
      "--arch",
      "x64",
      "--version",
      "0.1.0-rc.1",
      "--out",
      work.path,
    ]);
    expect(r.stderr).toBe("");
    deb = r.stdout.trim();
  }, 150_000);

  // Whatever happened above, leave the machine as it was.
  afterAll(() => {
    purge();
    work.remove();
    release();
  });

  it("is built with the pre-release version Debian sorts first and the expected files", () => {
    expect(deb).toBe(join(work.path, "anode_0.1.0~rc.1_amd64.deb"));
    const files = run("dpkg-deb", ["-c", deb]).stdout;
    for (const f of [
      "./usr/bin/anode",
      "./lib/systemd/system/anode.service",
      "./usr/lib/sysusers.d/anode.conf",
    ])
      expect(files).toContain(f);
    const info = run("dpkg-deb", ["-f", deb, "Package", "Architecture", "Depends"]).stdout;
    expect(info).toContain("Package: anode");
    expect(info).toContain("Architecture: amd64");
  });

  it("installs: binary, unit, account, directories, unit enabled", () => {
    const r = run("dpkg", ["-i", deb]);
    expect(r.code, r.stderr).toBe(0);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    const format = "${Status}";
    expect(run("dpkg-query", ["-W", "-f", format, "anode"]).stdout).toBe("install ok installed");
    expect(statSync("/usr/bin/anode").mode & 0o777).toBe(0o755);
    expect(readFileSync("/lib/systemd/system/anode.service", "utf8")).toContain(
      "ExecStart=/usr/bin/anode start --system",
    );
    const user = getent("passwd").stdout.trim().split(":");
    expect(user[0]).toBe("anode");
    expect(user[5]).toBe("/var/lib/anode");
    expect(user[6]).toBe("/usr/sbin/nologin");
    const uid = Number(user[2]);
    const gid = Number(user[3]);
    expect(uid).toBeLessThan(1000); // a system account
    const data = statSync("/var/lib/anode");
    expect([data.uid, data.gid, data.mode & 0o777]).toEqual([uid, gid, 0o750]);
    const conf = statSync("/etc/anode");
    expect([conf.uid, conf.gid, conf.mode & 0o777]).toEqual([0, gid, 0o750]);
    expect(
      lstatSync("/etc/systemd/system/multi-user.target.wants/anode.service").isSymbolicLink(),
    ).toBe(true);
  });

  it("removes: files go, data, config and the account stay", () => {
    const r = run("dpkg", ["--remove", "anode"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync("/usr/bin/anode")).toBe(false);
    expect(existsSync("/lib/systemd/system/anode.service")).toBe(false);
    expect(existsSync("/etc/systemd/system/multi-user.target.wants/anode.service")).toBe(false);
    expect(existsSync("/var/lib/anode")).toBe(true);
    expect(existsSync("/etc/anode")).toBe(true);
    expect(getent("passwd").code).toBe(0);
  });

  it("purges: nothing of anode is left", () => {
    const r = purge();
    expect(r.code, r.stderr).toBe(0);
    expect(run("dpkg-query", ["-W", "anode"]).code).not.toBe(0);
    for (const p of [
      "/var/lib/anode",
      "/etc/anode",
      "/etc/systemd/system/anode.service",
      "/etc/systemd/system/multi-user.target.wants/anode.service",
      "/var/lib/systemd/deb-systemd-helper-enabled/anode.service.dsh-also",
      "/var/lib/systemd/deb-systemd-helper-masked/anode.service",
    ])
      expect(existsSync(p), p).toBe(false);
    expect(getent("passwd").code).not.toBe(0);
    expect(getent("group").code).not.toBe(0);
  });
});
