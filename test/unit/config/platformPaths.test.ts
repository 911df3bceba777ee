import { posix, win32 } from "node:path";
import { describe, expect, it } from "vitest";
import { type PlatformPathsOptions, platformPaths } from "../../../src/config";

type Case = [string, PlatformPathsOptions, { dataDir: string; configFile: string }];

const cases: Case[] = [
  [
    "linux user without XDG_DATA_HOME",
    { platform: "linux", env: {}, home: "/home/ada" },
    {
      dataDir: "/home/ada/.local/share/anode",
      configFile: "/home/ada/.local/share/anode/config.json",
    },
  ],
  [
    "linux user with XDG_DATA_HOME",
    { platform: "linux", env: { XDG_DATA_HOME: "/data/xdg" }, home: "/home/ada" },
    { dataDir: "/data/xdg/anode", configFile: "/data/xdg/anode/config.json" },
  ],
  [
    "linux user with a relative XDG_DATA_HOME (ignored, as the spec says)",
    { platform: "linux", env: { XDG_DATA_HOME: "xdg" }, home: "/home/ada" },
    {
      dataDir: "/home/ada/.local/share/anode",
      configFile: "/home/ada/.local/share/anode/config.json",
    },
  ],
  [
    "linux system",
    { platform: "linux", env: { XDG_DATA_HOME: "/data/xdg" }, home: "/root", system: true },
    { dataDir: "/var/lib/anode", configFile: "/etc/anode/config.json" },
  ],
  [
    "freebsd user (unix rules)",
    { platform: "freebsd", env: {}, home: "/home/ada" },
    {
      dataDir: "/home/ada/.local/share/anode",
      configFile: "/home/ada/.local/share/anode/config.json",
    },
  ],
  [
    "macOS user",
    { platform: "darwin", env: {}, home: "/Users/ada" },
    {
      dataDir: "/Users/ada/Library/Application Support/anode",
      configFile: "/Users/ada/Library/Application Support/anode/config.json",
    },
  ],
  [
    "macOS system",
    { platform: "darwin", env: {}, home: "/var/root", system: true },
    {
      dataDir: "/Library/Application Support/anode",
      configFile: "/Library/Preferences/anode/config.json",
    },
  ],
  [
    "windows user with LOCALAPPDATA",
    { platform: "win32", env: { LOCALAPPDATA: "D:\\Local" }, home: "C:\\Users\\ada" },
    { dataDir: "D:\\Local\\anode\\Data", configFile: "D:\\Local\\anode\\Data\\config.json" },
  ],
  [
    "windows user reads variables case-insensitively",
    { platform: "win32", env: { LocalAppData: "D:\\Local" }, home: "C:\\Users\\ada" },
    { dataDir: "D:\\Local\\anode\\Data", configFile: "D:\\Local\\anode\\Data\\config.json" },
  ],
  [
    "windows user without LOCALAPPDATA",
    { platform: "win32", env: {}, home: "C:\\Users\\ada" },
    {
      dataDir: "C:\\Users\\ada\\AppData\\Local\\anode\\Data",
      configFile: "C:\\Users\\ada\\AppData\\Local\\anode\\Data\\config.json",
    },
  ],
  [
    "windows system with PROGRAMDATA",
    { platform: "win32", env: { PROGRAMDATA: "E:\\PD" }, home: "C:\\Users\\ada", system: true },
    { dataDir: "E:\\PD\\anode\\data", configFile: "E:\\PD\\anode\\config.json" },
  ],
  [
    "windows system with an empty PROGRAMDATA",
    { platform: "win32", env: { PROGRAMDATA: "" }, home: "C:\\Users\\ada", system: true },
    {
      dataDir: "C:\\ProgramData\\anode\\data",
      configFile: "C:\\ProgramData\\anode\\config.json",
    },
  ],
];

describe("platformPaths()", () => {
  it.each(cases)("%s", (_name, options, expected) => {
    expect(platformPaths(options)).toEqual(expected);
  });
});

describe("platformPaths() for a system service", () => {
  it.each(["win32", "darwin", "linux"] as const)(
    "keeps the config out of the data directory the service account writes (%s)",
    (platform) => {
      const p = platformPaths({ platform, env: {}, home: "/home/ada", system: true });
      const rel = (platform === "win32" ? win32 : posix).relative(p.dataDir, p.configFile);
      expect(rel.startsWith("..")).toBe(true);
    },
  );
});
