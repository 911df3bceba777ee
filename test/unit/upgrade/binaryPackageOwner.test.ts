import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dpkgPackageOf, packageOwner, parseDpkgQueryOwner } from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";

const hasDpkgQuery =
  spawnSync("sh", ["-c", "command -v dpkg-query"], { stdio: "ignore" }).status === 0;

describe("packageOwner", () => {
  it.each([
    ["/opt/homebrew/Cellar/anode/0.1.0/bin/anode", undefined, "homebrew"],
    ["/usr/local/Cellar/anode/0.1.0/bin/anode", undefined, "homebrew"],
    ["/home/linuxbrew/.linuxbrew/bin/anode", undefined, "homebrew"],
    // install.sh's place on Linux: the node's own file, not Homebrew's.
    ["/usr/local/bin/anode", undefined, undefined],
    ["/usr/bin/anode", "anode", "dpkg"],
    ["/home/me/bin/anode", undefined, undefined],
  ] as const)("packageOwner(%s) with dpkg owner %s is %s", (path, dpkgPackage, owner) => {
    expect(packageOwner(path, { dpkgPackage })).toBe(owner);
  });

  it("parseDpkgQueryOwner() takes the owner of exactly that path, not a diversion or a glob match", () => {
    expect(parseDpkgQueryOwner("anode: /usr/bin/anode\n", "/usr/bin/anode")).toBe("anode");
    expect(parseDpkgQueryOwner("a, b: /usr/bin/x\n", "/usr/bin/x")).toBe("a");
    expect(
      parseDpkgQueryOwner(
        "diversion by dash from: /bin/sh\ndiversion by dash to: /bin/sh.distrib\ndash: /bin/sh\n",
        "/bin/sh",
      ),
    ).toBe("dash");
    expect(parseDpkgQueryOwner("zstd: /usr/bin/zstdgrep\n", "/usr/bin/*grep")).toBeUndefined();
    expect(parseDpkgQueryOwner("", "/usr/bin/anode")).toBeUndefined();
  });
});

describe("dpkgPackageOf (the real dpkg-query)", () => {
  it("names the package that installed a file, and none for a file no package has", () => {
    expect(hasDpkgQuery, "dpkg-query is missing: apt-get install dpkg").toBe(true);
    expect(dpkgPackageOf("/usr/bin/dpkg-query")).toBe("dpkg");
    const dir = tempDir("anode-dpkg-owner-");
    try {
      const file = join(dir.path, "anode");
      writeFileSync(file, "");
      expect(dpkgPackageOf(file)).toBeUndefined();
    } finally {
      dir.remove();
    }
  });

  it("gives up within its time limit when dpkg-query hangs, and when it is absent", () => {
    const dir = tempDir("anode-dpkg-hang-");
    try {
      const hang = join(dir.path, "dpkg-query");
      writeFileSync(hang, "#!/bin/sh\nexec sleep 30\n", { mode: 0o755 });
      const started = Date.now();
      expect(dpkgPackageOf("/usr/bin/anode", { program: hang, timeoutMs: 300 })).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
      const absent = join(dir.path, "no-such-dpkg-query");
      expect(dpkgPackageOf("/usr/bin/anode", { program: absent })).toBeUndefined();
    } finally {
      dir.remove();
    }
  });
});
