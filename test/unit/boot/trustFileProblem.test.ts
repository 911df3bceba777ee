import { describe, expect, it } from "vitest";
import { type PathOwnership, trustFileProblem } from "../../../src/boot/trustFileProblem";

const file = (mode: number, uid = 0, gid = 0): PathOwnership => ({
  path: "/etc/anode/config.json",
  uid,
  gid,
  mode: 0o100000 | mode,
});
const dir = (path: string, mode: number, uid = 0, gid = 0): PathOwnership => ({
  path,
  uid,
  gid,
  mode: 0o040000 | mode,
});
const parents = [dir("/etc/anode", 0o750, 0, 998), dir("/etc", 0o755), dir("/", 0o755)];

describe("trustFileProblem()", () => {
  it("accepts a root-owned file no one else can write, under root-owned directories (root:anode 0750 too)", () => {
    expect(trustFileProblem([file(0o644), ...parents])).toBeUndefined();
    expect(trustFileProblem([file(0o640, 0, 998), ...parents])).toBeUndefined();
  });

  it.each([
    [
      "a file the service account owns",
      [file(0o600, 998), ...parents],
      "/etc/anode/config.json is owned by uid 998, who can write it (chown root /etc/anode/config.json && chmod 644 /etc/anode/config.json)",
    ],
    [
      "a group-writable file",
      [file(0o664, 0, 998), ...parents],
      "/etc/anode/config.json is writable by group 998 (mode 0664; chown root /etc/anode/config.json && chmod 644 /etc/anode/config.json)",
    ],
    [
      "a world-writable file",
      [file(0o666), ...parents],
      "/etc/anode/config.json is writable by every account (mode 0666; chown root /etc/anode/config.json && chmod 644 /etc/anode/config.json)",
    ],
    [
      "a directory the service account owns",
      [file(0o644), dir("/etc/anode", 0o755, 998), dir("/etc", 0o755), dir("/", 0o755)],
      "/etc/anode is owned by uid 998, who can write it (chown root /etc/anode && chmod go-w /etc/anode)",
    ],
    [
      "a group-writable directory",
      [file(0o644), dir("/etc/anode", 0o770, 0, 998), dir("/etc", 0o755), dir("/", 0o755)],
      "/etc/anode is writable by group 998 (mode 0770; chown root /etc/anode && chmod go-w /etc/anode)",
    ],
    [
      "a world-writable directory further up",
      [file(0o644), dir("/etc/anode", 0o755), dir("/etc", 0o777), dir("/", 0o755)],
      "/etc is writable by every account (mode 0777; chown root /etc && chmod go-w /etc)",
    ],
  ])("refuses %s, naming the path, who can write it and the fix", (_what, chain, problem) => {
    expect(trustFileProblem(chain)).toBe(problem);
  });

  it("accepts a sticky world-writable directory (like /tmp) above a root-owned entry", () => {
    expect(
      trustFileProblem([file(0o644), dir("/tmp/x", 0o755), dir("/tmp", 0o1777), dir("/", 0o755)]),
    ).toBeUndefined();
  });

  it("still refuses another account's entry inside a sticky directory", () => {
    expect(
      trustFileProblem([file(0o644), dir("/tmp/x", 0o755, 1000), dir("/tmp", 0o1777)]),
    ).toMatch(/^\/tmp\/x is owned by uid 1000/);
  });

  it("skips a symlink's own mode (its directory and its target are in the chain)", () => {
    const link = { path: "/etc/anode/config.json", uid: 0, gid: 0, mode: 0o120777 };
    expect(trustFileProblem([link, ...parents])).toBeUndefined();
  });
});
