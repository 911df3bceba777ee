import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { makeFakeRelease } from "./support/fakeRelease";
import { acquireMachineLock } from "./support/machineLock";
import { runAsync } from "./support/runAsync";
import { hasTool, isRoot, missing, run } from "./support/tools";

// The .debs of the real linux-x64 and linux-arm64 binaries, built as a release builds
// them, checked by Debian's own lintian, then (the x64 one) installed on this machine,
// removed and purged. CI runs this as root on Debian; anywhere else it fails and says
// what is missing rather than passing without having checked anything.

const VERSION = "0.1.0-rc.1";
const DEB_VERSION = "0.1.0~rc.1";
// A fixed build time: the packages' files, changelog and man page carry it.
const EPOCH = "1767225600"; // 2026-01-01T00:00:00Z
const BUILD_MS = 900_000;
const LINTIAN_MS = 600_000;
const ARCHES = [
  { target: "linux-x64", deb: "amd64" },
  { target: "linux-arm64", deb: "arm64" },
] as const;

const BUILD_TOOLS: Array<[tool: string, aptPackage: string]> = [
  ["dpkg-deb", "dpkg"],
  ["lintian", "lintian"],
  ["gzip", "gzip"],
  ["man", "man-db"],
];

function requireTools(tools: Array<[string, string]>, what: string): void {
  const absent = tools.filter(([t]) => !hasTool(t)).map(([t, p]) => missing(t, p));
  if (absent.length > 0) throw new Error(`Cannot ${what}: ${absent.join("; ")}`);
}

const buildDeb = (binary: string, arch: string, out: string) =>
  runAsync(
    "sh",
    [
      "installers/linux/build-deb.sh",
      "--binary",
      binary,
      "--arch",
      arch,
      "--version",
      VERSION,
      "--out",
      out,
    ],
    { timeoutMs: BUILD_MS, env: { SOURCE_DATE_EPOCH: EPOCH } },
  );

/** Lintian's tags, one a line ("E: anode: tag [path]"), without its notes. */
function tags(output: string): string[] {
  return output.split("\n").filter((l) => /^[A-Z]: anode/.test(l));
}

const getent = (db: string) => run("getent", [db, "anode"]);
const purge = () => run("dpkg", ["--purge", "anode"]);

describe("the .debs of the release binaries", () => {
  const work = tempDir("anode-deb-");
  const debs: Record<string, string> = {};

  beforeAll(async () => {
    requireTools(BUILD_TOOLS, "build and check the .deb");
    const bin = join(work.path, "bin");
    // The binaries build one after the other (each is a busy core), then both packages
    // compress side by side.
    for (const { target } of ARCHES) {
      const r = await runAsync(
        process.execPath,
        ["build/binary.mjs", "--target", target, "--out-dir", bin],
        { timeoutMs: BUILD_MS },
      );
      expect(r.code, `build/binary.mjs --target ${target}: ${r.stderr}`).toBe(0);
    }
    const out = join(work.path, "out");
    const built = await Promise.all(
      ARCHES.map(({ target }) =>
        buildDeb(join(bin, `anode-${target}`), target.replace("linux-", ""), out),
      ),
    );
    built.forEach((r, i) => {
      const arch = ARCHES[i]?.deb ?? "";
      expect(r.code, `build-deb.sh for ${arch}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
      debs[arch] = r.stdout.trim();
    });
  }, 2 * BUILD_MS);

  afterAll(() => work.remove());

  it.each(ARCHES)(
    "the $deb package has the version Debian sorts first and the expected files",
    ({ deb }) => {
      expect(debs[deb]).toBe(join(work.path, "out", `anode_${DEB_VERSION}_${deb}.deb`));
      const files = run("dpkg-deb", ["-c", debs[deb] ?? ""], { TZ: "UTC" }).stdout;
      for (const f of [
        "./usr/bin/anode",
        "./lib/systemd/system/anode.service",
        "./usr/lib/sysusers.d/anode.conf",
        "./usr/share/man/man1/anode.1.gz",
        "./usr/share/doc/anode/changelog.gz",
        "./usr/share/doc/anode/copyright",
        "./usr/share/lintian/overrides/anode",
      ])
        expect(files).toContain(f);
      // Every file carries the fixed build time, not the time it was built.
      expect(files).toMatch(/ 2026-01-01 00:00 \.\/usr\/bin\/anode\n/);
      const info = run("dpkg-deb", [
        "-f",
        debs[deb] ?? "",
        "Package",
        "Architecture",
        "Maintainer",
      ]);
      expect(info.stdout).toContain("Package: anode");
      expect(info.stdout).toContain(`Architecture: ${deb}`);
      expect(info.stdout).not.toContain(".invalid");
    },
  );

  // lintian reads the whole 120 MB executable: about 40 s a package, both side by side.
  it(
    "passes lintian: no error, no warning that is not overridden, no stale override",
    async () => {
      const results = await Promise.all(
        ARCHES.map(({ deb }) =>
          runAsync("lintian", ["--display-info", "--fail-on", "error,warning", debs[deb] ?? ""], {
            timeoutMs: LINTIAN_MS,
          }),
        ),
      );
      results.forEach((r, i) => {
        const found = tags(r.stdout);
        const bad = found.filter((t) => /^[EW]: |unused-override|mismatched-override/.test(t));
        expect(bad, `lintian on ${ARCHES[i]?.deb}:\n${r.stdout}${r.stderr}`).toEqual([]);
        expect(r.code, `lintian's exit status on ${ARCHES[i]?.deb}:\n${r.stderr}`).toBe(0);
      });
    },
    LINTIAN_MS,
  );

  it("ships a manual page that man renders without a warning, a changelog and a copyright notice", () => {
    const root = join(work.path, "unpacked");
    mkdirSync(root);
    expect(run("dpkg-deb", ["-x", debs.amd64 ?? "", root]).code).toBe(0);
    const page = run("man", ["--warnings", "-l", join(root, "usr/share/man/man1/anode.1.gz")], {
      MANWIDTH: "80",
      LC_ALL: "C.UTF-8",
    });
    expect(page.stderr).toBe("");
    expect(page.stdout).toContain("anode - a node for decentralised networks");
    // Every command of the CLI has its section.
    for (const c of ["anode start", "anode service install", "anode release verify"])
      expect(page.stdout).toContain(c);
    expect(page.stdout).toMatch(/2026-01-01/);
    const changelog = run("sh", ["-c", `gzip -dc ${root}/usr/share/doc/anode/changelog.gz`]);
    expect(changelog.stdout).toMatch(
      new RegExp(`^anode \\(${DEB_VERSION}\\) stable; urgency=medium\n`),
    );
    expect(changelog.stdout).toContain("Thu, 01 Jan 2026 00:00:00 +0000");
    const copyright = readFileSync(join(root, "usr/share/doc/anode/copyright"), "utf8");
    expect(copyright).toMatch(
      /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/,
    );
    expect(copyright).toContain("Copyright: 2026 anode contributors");
    expect(copyright).toContain("Files: usr/bin/anode");
  });

  it(
    "is reproducible: the same binary and build time give the same bytes",
    async () => {
      const fake = join(work.path, "fake");
      mkdirSync(fake);
      makeFakeRelease(fake);
      const [a, b] = await Promise.all(
        ["a", "b"].map((d) => buildDeb(join(fake, "anode-linux-x64"), "x64", join(fake, d))),
      );
      expect(a?.code, a?.stderr).toBe(0);
      expect(b?.code, b?.stderr).toBe(0);
      const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
      expect(sha(a?.stdout.trim() ?? "")).toBe(sha(b?.stdout.trim() ?? ""));
    },
    BUILD_MS,
  );

  describe("installed on this machine", () => {
    let release = () => {};
    let uid = -1;

    // Installing changes this machine: only as root, with dpkg, and never over a package
    // or account called anode that is not this test's (the purge would remove it).
    beforeAll(async () => {
      requireTools(
        [
          ["dpkg", "dpkg"],
          ["dpkg-query", "dpkg"],
          ["getent", "libc-bin"],
        ],
        "install the .deb",
      );
      if (!isRoot)
        throw new Error(
          "Cannot install the .deb: not root (run: sudo npx vitest run test/installers/deb.test.ts)",
        );
      release = await acquireMachineLock("anode-deb-test", 120_000);
      if (run("dpkg-query", ["-W", "anode"]).code === 0)
        throw new Error(
          "Cannot install the .deb: a package named anode is already installed on this machine (remove it with dpkg --purge anode, then run this test again)",
        );
      if (getent("passwd").code === 0)
        throw new Error(
          "Cannot install the .deb: an account named anode already exists on this machine, and purging the package would delete it",
        );
    }, 180_000);

    // Whatever happened, leave the machine as it was.
    afterAll(() => {
      if (run("dpkg-query", ["-W", "anode"]).code === 0) purge();
      release();
    });

    it("installs: binary, manual page, unit, account, directories, unit enabled", () => {
      const r = run("dpkg", ["-i", debs.amd64 ?? ""]);
      expect(r.code, r.stderr).toBe(0);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
      const format = "${Status}";
      expect(run("dpkg-query", ["-W", "-f", format, "anode"]).stdout).toBe("install ok installed");
      expect(statSync("/usr/bin/anode").mode & 0o777).toBe(0o755);
      expect(run("/usr/bin/anode", ["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      expect(existsSync("/usr/share/man/man1/anode.1.gz")).toBe(true);
      expect(readFileSync("/lib/systemd/system/anode.service", "utf8")).toContain(
        "ExecStart=/usr/bin/anode start --system",
      );
      // dpkg, asked the way the node asks it, owns the binary.
      expect(run("dpkg-query", ["-S", "/usr/bin/anode"]).stdout).toBe("anode: /usr/bin/anode\n");
      const user = getent("passwd").stdout.trim().split(":");
      expect(user[0]).toBe("anode");
      expect(user[5]).toBe("/var/lib/anode");
      expect(user[6]).toBe("/usr/sbin/nologin");
      uid = Number(user[2]);
      const gid = Number(user[3]);
      expect(uid).toBeLessThan(1000); // a system account
      const data = statSync("/var/lib/anode");
      expect([data.uid, data.gid, data.mode & 0o777]).toEqual([uid, gid, 0o750]);
      const conf = statSync("/etc/anode");
      expect([conf.uid, conf.gid, conf.mode & 0o777]).toEqual([0, gid, 0o750]);
      expect(
        lstatSync("/etc/systemd/system/multi-user.target.wants/anode.service").isSymbolicLink(),
      ).toBe(true);
      expect(run("dpkg", ["--verify", "anode"]).stdout).toBe("");
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

    it("purges: no unit, account or file of anode is left", () => {
      const listed = run("dpkg-query", ["-L", "anode"])
        .stdout.split("\n")
        .filter((f) => f !== "");
      const r = purge();
      expect(r.code, r.stderr).toBe(0);
      expect(run("dpkg-query", ["-W", "anode"]).code).not.toBe(0);
      for (const p of [
        "/var/lib/anode",
        "/etc/anode",
        "/etc/systemd/system/anode.service",
        "/etc/systemd/system/multi-user.target.wants/anode.service",
        "/var/lib/systemd/deb-systemd-helper-enabled/anode.service.dsh-also",
        "/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/anode.service",
        "/var/lib/systemd/deb-systemd-helper-masked/anode.service",
      ])
        expect(existsSync(p), p).toBe(false);
      // What dpkg had listed as the package's own (directories shared with others stay).
      for (const f of listed.filter((f) => f.includes("anode")))
        expect(existsSync(f), f).toBe(false);
      expect(getent("passwd").code).not.toBe(0);
      expect(getent("group").code).not.toBe(0);
      // No file anywhere the package or its node could have written is still the account's.
      expect(uid, "the install test found the account's uid").toBeGreaterThan(0);
      const dirs = ["/etc", "/var", "/usr", "/lib", "/opt", "/srv"].filter((d) => existsSync(d));
      const owned = run("find", [...dirs, "-xdev", "-uid", String(uid)]);
      expect(owned.stdout).toBe("");
    });
  });
});
