import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { type FakeRelease, makeFakeRelease, strangerKey } from "./support/fakeRelease";
import { isRoot, needs, run } from "./support/tools";

const INSTALL = "installers/linux/install.sh";
const UNINSTALL = "installers/linux/uninstall.sh";
const tools = needs(["openssl", "openssl"], ["systemd-sysusers", "systemd"]);

function passwdEntry(root: string): string | undefined {
  const file = join(root, "etc/passwd");
  if (!existsSync(file)) return undefined;
  return readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith("anode:"));
}

describe("install.sh into a temporary root", () => {
  const releaseDir = tempDir("anode-rel-");
  let release: FakeRelease;
  beforeAll(() => {
    release = makeFakeRelease(releaseDir.path);
  });
  afterAll(() => releaseDir.remove());

  const install = (root: string, ...extra: string[]) =>
    run("sh", [
      INSTALL,
      "--release-dir",
      releaseDir.path,
      "--root",
      root,
      "--arch",
      "x64",
      ...extra,
    ]);

  it.skipIf(tools.skip)(
    `verifies, then installs the binary, account, directories and enabled unit${tools.why}`,
    () => {
      const root = tempDir("anode-root-");
      try {
        const r = install(root.path, "--trusted-keys", release.trustedKeysFile);
        // systemd-sysusers reports what it created on stderr; warnings would be ours.
        // (Not as root, chown in the staging root fails and warns, which is expected.)
        if (isRoot) expect(r.stderr).not.toMatch(/warning|Cannot/);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(
          `verified anode-linux-x64 (sha256 ${release.sums["anode-linux-x64"]}`,
        );

        const bin = join(root.path, "usr/local/bin/anode");
        const exe = join(root.path, "usr/local/lib/anode/anode");
        expect(readFileSync(exe, "utf8")).toContain("anode-linux-x64");
        expect(statSync(exe).mode & 0o777).toBe(0o755);

        const entry = passwdEntry(root.path);
        expect(entry).toMatch(
          /^anode:x:\d+:\d+:anode node:\/var\/lib\/anode:\/usr\/sbin\/nologin$/,
        );
        const [, , uid, gid] = (entry ?? "").split(":").map(Number);

        const data = statSync(join(root.path, "var/lib/anode"));
        expect(data.mode & 0o777).toBe(0o750);
        const conf = statSync(join(root.path, "etc/anode"));
        expect(conf.mode & 0o777).toBe(0o750);
        if (isRoot) {
          expect([data.uid, data.gid]).toEqual([uid, gid]);
          expect([conf.uid, conf.gid]).toEqual([0, gid]);
        }

        const unit = readFileSync(join(root.path, "etc/systemd/system/anode.service"), "utf8");
        expect(unit).toContain("ExecStart=/usr/local/lib/anode/anode start --system");
        // The node writes only its data; root's pre-start step swaps in binary releases.
        expect(unit).toContain("ReadWritePaths=/var/lib/anode\n");
        expect(unit).toContain(
          "ExecStartPre=+-/usr/local/lib/anode/anode service apply-binary --system\n",
        );
        if (isRoot) {
          const lib = statSync(join(root.path, "usr/local/lib/anode"));
          const exe = statSync(join(root.path, "usr/local/lib/anode/anode"));
          expect([lib.uid, exe.uid, lib.mode & 0o022, exe.mode & 0o022]).toEqual([0, 0, 0, 0]);
        }
        expect(readlinkSync(bin)).toBe("/usr/local/lib/anode/anode");
        expect(unit).toContain("RestartForceExitStatus=75");
        const wants = join(root.path, "etc/systemd/system/multi-user.target.wants/anode.service");
        expect(lstatSync(wants).isSymbolicLink()).toBe(true);
        expect(readlinkSync(wants)).toBe("/etc/systemd/system/anode.service");
      } finally {
        root.remove();
      }
    },
  );

  it.skipIf(tools.skip)(
    `--libdir changes the binary's place and ExecStart, --bindir the link's${tools.why}`,
    () => {
      const root = tempDir("anode-root-");
      try {
        const r = install(
          root.path,
          "--pubkey",
          release.publicKey,
          "--bindir",
          "/opt/anode/bin",
          "--libdir",
          "/opt/anode/lib",
          "--no-enable",
        );
        expect(r.code).toBe(0);
        expect(readlinkSync(join(root.path, "opt/anode/bin/anode"))).toBe("/opt/anode/lib/anode");
        expect(existsSync(join(root.path, "opt/anode/lib/anode"))).toBe(true);
        const unit = readFileSync(join(root.path, "etc/systemd/system/anode.service"), "utf8");
        expect(unit).toContain("ExecStart=/opt/anode/lib/anode start --system");
        expect(unit).toContain("ExecStartPre=+-/opt/anode/lib/anode service apply-binary --system");
        expect(unit).toContain("ReadWritePaths=/var/lib/anode\n");
        expect(existsSync(join(root.path, "etc/systemd/system/multi-user.target.wants"))).toBe(
          false,
        );
      } finally {
        root.remove();
      }
    },
  );

  it.skipIf(tools.skip)(`refuses a signature by a key it does not trust${tools.why}`, () => {
    const root = tempDir("anode-root-");
    try {
      const r = install(root.path, "--pubkey", strangerKey());
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("not a valid signature by a trusted release key");
      expect(existsSync(join(root.path, "usr/local/bin/anode"))).toBe(false);
    } finally {
      root.remove();
    }
  });

  it.skipIf(tools.skip)(`refuses a binary whose checksum does not match${tools.why}`, () => {
    const root = tempDir("anode-root-");
    const tampered = tempDir("anode-rel-");
    try {
      for (const f of ["SHA256SUMS", "SHA256SUMS.sig", "anode-linux-x64"])
        writeFileSync(join(tampered.path, f), readFileSync(join(releaseDir.path, f)));
      writeFileSync(join(tampered.path, "anode-linux-x64"), "#!/bin/sh\necho evil\n");
      const r = run("sh", [
        INSTALL,
        "--release-dir",
        tampered.path,
        "--root",
        root.path,
        "--arch",
        "x64",
        "--pubkey",
        release.publicKey,
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/anode-linux-x64 has sha256 [0-9a-f]{64}, SHA256SUMS says/);
      expect(existsSync(join(root.path, "usr/local/bin/anode"))).toBe(false);
    } finally {
      root.remove();
      tampered.remove();
    }
  });

  it.skipIf(tools.skip)(`refuses a SHA256SUMS changed after signing${tools.why}`, () => {
    const root = tempDir("anode-root-");
    const tampered = tempDir("anode-rel-");
    try {
      for (const f of ["SHA256SUMS.sig", "anode-linux-x64"])
        writeFileSync(join(tampered.path, f), readFileSync(join(releaseDir.path, f)));
      writeFileSync(
        join(tampered.path, "SHA256SUMS"),
        `${readFileSync(join(releaseDir.path, "SHA256SUMS"), "utf8")}\n`,
      );
      const r = run("sh", [
        INSTALL,
        "--release-dir",
        tampered.path,
        "--root",
        root.path,
        "--arch",
        "x64",
        "--pubkey",
        release.publicKey,
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("not a valid signature");
    } finally {
      root.remove();
      tampered.remove();
    }
  });

  it.skipIf(tools.skip)(
    `uninstall.sh keeps data without --purge and removes everything with it${tools.why}`,
    () => {
      const root = tempDir("anode-root-");
      try {
        expect(install(root.path, "--trusted-keys", release.trustedKeysFile).code).toBe(0);
        const keep = run("sh", [UNINSTALL, "--root", root.path]);
        expect(keep.code).toBe(0);
        // lstat, not exists: the link itself must be gone, not only what it points to.
        expect(() => lstatSync(join(root.path, "usr/local/bin/anode"))).toThrow(/ENOENT/);
        expect(existsSync(join(root.path, "usr/local/lib/anode"))).toBe(false);
        expect(existsSync(join(root.path, "etc/systemd/system/anode.service"))).toBe(false);
        expect(
          existsSync(join(root.path, "etc/systemd/system/multi-user.target.wants/anode.service")),
        ).toBe(false);
        expect(existsSync(join(root.path, "var/lib/anode"))).toBe(true);
        expect(passwdEntry(root.path)).toBeDefined();

        const purge = run("sh", [UNINSTALL, "--root", root.path, "--purge"]);
        expect(purge.code).toBe(0);
        expect(existsSync(join(root.path, "var/lib/anode"))).toBe(false);
        expect(existsSync(join(root.path, "etc/anode"))).toBe(false);
        expect(passwdEntry(root.path)).toBeUndefined();
      } finally {
        root.remove();
      }
    },
  );

  const shellcheck = needs(["shellcheck", "shellcheck"]);
  it.skipIf(shellcheck.skip)(
    `the installer scripts pass shellcheck as POSIX sh${shellcheck.why}`,
    () => {
      const scripts = [
        INSTALL,
        UNINSTALL,
        "installers/linux/build-deb.sh",
        "installers/linux/debian/postinst",
        "installers/linux/debian/prerm",
        "installers/linux/debian/postrm",
        "installers/macos/scripts/postinstall",
        "installers/macos/scripts/preinstall",
        "installers/macos/uninstall.sh",
      ];
      const r = run("shellcheck", ["-s", "sh", ...scripts]);
      expect(r.stdout).toBe("");
      expect(r.code).toBe(0);
    },
  );
});
