import { describe, expect, it } from "vitest";
import {
  cacheDir,
  HOST_API_VERSION,
  isNodeStart,
  RESTART_EXIT_CODE,
  resolveConfigFile,
  SUPERVISE_ENV,
} from "../../../src/boot";
import { createHost } from "../../../src/boot/createHost";

describe("cacheDir()", () => {
  it.each([
    ["ANODE_CACHE_DIR wins", "linux", { ANODE_CACHE_DIR: "/c" }, "/c"],
    ["XDG_CACHE_HOME on Linux", "linux", { XDG_CACHE_HOME: "/xdg" }, "/xdg/anode"],
    [
      "~/.cache for a relative XDG_CACHE_HOME",
      "linux",
      { XDG_CACHE_HOME: "rel" },
      "/h/.cache/anode",
    ],
    ["~/Library/Caches on macOS", "darwin", {}, "/h/Library/Caches/anode"],
    ["LOCALAPPDATA on Windows", "win32", { LOCALAPPDATA: "C:\\L" }, "C:\\L\\anode\\Cache"],
    ["AppData\\Local under home on Windows", "win32", {}, "\\h\\AppData\\Local\\anode\\Cache"],
  ] as const)("%s", (_what, platform, env, want) => {
    expect(cacheDir({ platform, env, home: "/h" })).toBe(want);
  });
});

describe("createHost()", () => {
  it("loads Level only when first used, and only once", () => {
    let loads = 0;
    class FakeLevel {}
    const host = createHost({
      version: "1.2.3",
      trust: { threshold: 1, keys: [] },
      loadLevel: () => {
        loads++;
        return FakeLevel as never;
      },
    });
    expect(host).toMatchObject({ hostApi: HOST_API_VERSION, version: "1.2.3" });
    expect(loads).toBe(0);
    expect(host.Level).toBe(FakeLevel);
    expect(host.Level).toBe(FakeLevel);
    expect(loads).toBe(1);
  });
});

describe("isNodeStart()", () => {
  it("is true for `start` unless this is the supervising parent", () => {
    expect(isNodeStart(["--data-dir", "d", "start"], {})).toBe(true);
    expect(isNodeStart(["status"], {})).toBe(false);
    expect(isNodeStart(["start"], { [SUPERVISE_ENV]: "1" })).toBe(false);
    expect(isNodeStart(["start"], { [SUPERVISE_ENV]: "child" })).toBe(true);
    expect(RESTART_EXIT_CODE).toBe(75);
  });
});

describe("resolveConfigFile()", () => {
  const base = { env: {}, platform: "linux" as const, home: "/home/ada", cwd: "/srv/app" };
  const at = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    resolveConfigFile({ ...base, argv, env, readFile: () => undefined });

  it("takes --config, then ANODE_CONFIG, relative to the working directory", () => {
    expect(at(["--config", "c.json", "status"])).toBe("/srv/app/c.json");
    expect(at([], { ANODE_CONFIG: "/etc/x.json" })).toBe("/etc/x.json");
  });

  it("looks in the data directory given by flag or environment", () => {
    expect(at(["--data-dir", "n1"])).toBe("/srv/app/n1/config.json");
    expect(at([], { ANODE_DATA_DIR: "/d" })).toBe("/d/config.json");
  });

  it("uses the platform default otherwise, and the system one with --system", () => {
    expect(at(["status"])).toBe("/home/ada/.local/share/anode/config.json");
    expect(at(["--system", "--data-dir", "/d", "start"])).toBe("/etc/anode/config.json");
  });
});
