import { describe, expect, it } from "vitest";
import { resolveDataDir } from "../../../src/boot";

const base = {
  env: {},
  platform: "linux" as const,
  home: "/home/ada",
  cwd: "/srv/app",
  readFile: () => undefined,
};

describe("resolveDataDir()", () => {
  type Case = [string, Partial<Parameters<typeof resolveDataDir>[0]>, string];
  const cases: Case[] = [
    ["the platform default", { argv: ["status"] }, "/home/ada/.local/share/anode"],
    [
      "--data-dir, relative to the working directory",
      { argv: ["status", "--data-dir", "n1"] },
      "/srv/app/n1",
    ],
    ["--data-dir=", { argv: ["--data-dir=/srv/a", "start"] }, "/srv/a"],
    ["the last --data-dir wins", { argv: ["--data-dir", "/a", "start", "--data-dir", "/b"] }, "/b"],
    [
      "nothing after --",
      { argv: ["tx", "--", "--data-dir", "/x"] },
      "/home/ada/.local/share/anode",
    ],
    ["ANODE_DATA_DIR", { argv: [], env: { ANODE_DATA_DIR: "/env/d" } }, "/env/d"],
    [
      "the flag over ANODE_DATA_DIR",
      { argv: ["--data-dir", "/f"], env: { ANODE_DATA_DIR: "/env/d" } },
      "/f",
    ],
    ["--system", { argv: ["start", "--system"] }, "/var/lib/anode"],
    [
      "dataDir in the default config file, relative to the file",
      {
        argv: [],
        readFile: (p) =>
          p === "/home/ada/.local/share/anode/config.json" ? '{"dataDir":"d2"}' : undefined,
      },
      "/home/ada/.local/share/anode/d2",
    ],
    [
      "dataDir in the file named by --config",
      {
        argv: ["--config", "/etc/x.json"],
        readFile: (p) => (p === "/etc/x.json" ? '{"dataDir":"/srv/x"}' : undefined),
      },
      "/srv/x",
    ],
    [
      "dataDir in the file named by ANODE_CONFIG",
      {
        argv: [],
        env: { ANODE_CONFIG: "/etc/y.json" },
        readFile: (p) => (p === "/etc/y.json" ? '{"dataDir":"/srv/y"}' : undefined),
      },
      "/srv/y",
    ],
    [
      "a malformed config file is left to the app",
      { argv: [], readFile: () => "{" },
      "/home/ada/.local/share/anode",
    ],
    [
      "Windows paths on Windows",
      { argv: [], platform: "win32", env: { LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local" } },
      "C:\\Users\\ada\\AppData\\Local\\anode\\Data",
    ],
  ];
  it.each(cases)("%s", (_name, o, expected) => {
    expect(resolveDataDir({ ...base, argv: [], ...o })).toBe(expected);
  });
});
