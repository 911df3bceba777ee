import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkTrustFile } from "../../../src/boot";
import { tempDir } from "../../support/tempDir";

// Real files in a temp dir, as root in CI or as a normal user on a laptop: the rule is
// "nothing but root can write it", so a file the test itself owns passes only as root.
const root = process.getuid?.() === 0;

describe.skipIf(process.platform === "win32")("checkTrustFile()", () => {
  let dir: { path: string; remove(): void };
  let conf: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir("anode-trustfile-");
    chmodSync(dir.path, 0o755);
    conf = join(dir.path, "etc");
    mkdirSync(conf, { mode: 0o755 });
    chmodSync(conf, 0o755);
    file = join(conf, "config.json");
    writeFileSync(file, "{}");
    chmodSync(file, 0o644);
  });
  afterEach(() => dir.remove());

  it("accepts a 0644 file in 0755 directories when root owns them all, and refuses it otherwise", () => {
    const problem = checkTrustFile(file);
    if (root) expect(problem).toBeUndefined();
    else expect(problem).toMatch(/is owned by uid \d+, who can write it \(chown root /);
  });

  it("refuses a file writable by every account", () => {
    chmodSync(file, 0o666);
    expect(checkTrustFile(file)).toBe(
      `${file} is writable by every account (mode 0666; chown root ${file} && chmod 644 ${file})`,
    );
  });

  it("refuses a file in a world-writable (not sticky) directory", () => {
    chmodSync(conf, 0o777);
    expect(checkTrustFile(file)).toMatch(
      root ? `${conf} is writable by every account (mode 0777; ` : /is owned by uid \d+/,
    );
  });

  it("refuses a file an account other than root owns", () => {
    if (root) chownSync(file, 65534, 65534);
    const uid = root ? 65534 : process.getuid?.();
    expect(checkTrustFile(file)).toMatch(new RegExp(`is owned by uid ${uid}, who can write it`));
  });

  it("follows a symlink and checks where it points, not only the link", () => {
    const target = join(dir.path, "elsewhere.json");
    writeFileSync(target, "{}");
    chmodSync(target, 0o666);
    const link = join(conf, "link.json");
    symlinkSync(target, link);
    expect(checkTrustFile(link)).toMatch(
      root ? `${target} is writable by every account` : /is owned by uid \d+/,
    );
  });
});
