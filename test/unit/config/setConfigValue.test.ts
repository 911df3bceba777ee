import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, getConfigValue, loadConfig, setConfigValue } from "../../../src/config";
import { useTempDir } from "./tempDir";

const dir = useTempDir();

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

async function setError(file: string, key: string, raw: string): Promise<ConfigError> {
  const error = await setConfigValue(file, key, raw).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("setConfigValue()", () => {
  it("round-trips with loadConfig() and getConfigValue()", async () => {
    const configFile = join(dir(), "config.json");
    await expect(setConfigValue(configFile, "api.port", "8000")).resolves.toBe(8000);
    await setConfigValue(configFile, "log.level", "debug");
    await setConfigValue(configFile, "p2p.peers", '[{"address":"127.0.0.2:7711","id":"n2"}]');
    const { options, sources } = await loadConfig({ configFile, env: {}, home: dir() });
    expect(getConfigValue(options, "api.port")).toBe(8000);
    expect(getConfigValue(options, "log.level")).toBe("debug");
    expect(getConfigValue(options, "p2p.peers")).toEqual([{ address: "127.0.0.2:7711", id: "n2" }]);
    expect(sources["api.port"]).toBe("file");
  });

  it("creates the file and its directories", async () => {
    const configFile = join(dir(), "a", "b", "config.json");
    await setConfigValue(configFile, "executor.workers", "8");
    expect(readJson(configFile)).toEqual({ executor: { workers: 8 } });
  });

  it("keeps the other keys of the file", async () => {
    const configFile = join(dir(), "config.json");
    writeFileSync(
      configFile,
      JSON.stringify({ api: { host: "127.0.0.9" }, log: { format: "json" } }),
    );
    await setConfigValue(configFile, "api.port", "1234");
    expect(readJson(configFile)).toEqual({
      api: { host: "127.0.0.9", port: 1234 },
      log: { format: "json" },
    });
  });

  it("sets a whole section from JSON", async () => {
    const configFile = join(dir(), "config.json");
    await setConfigValue(configFile, "api", '{"port":1234,"host":"::1"}');
    expect(readJson(configFile)).toEqual({ api: { port: 1234, host: "::1" } });
  });

  it("refuses an unknown key with CONFIG_UNKNOWN_KEY and writes nothing", async () => {
    const configFile = join(dir(), "config.json");
    const error = await setError(configFile, "api.prot", "1");
    expect(error.code).toBe("CONFIG_UNKNOWN_KEY");
    expect(error.message).toMatch(
      /^Cannot find config key "api.prot": known keys are dataDir, api.port, /,
    );
    expect(existsSync(configFile)).toBe(false);
  });

  it("refuses a key below a leaf", async () => {
    const error = await setError(join(dir(), "config.json"), "api.port.x", "1");
    expect(error.code).toBe("CONFIG_UNKNOWN_KEY");
  });

  it("refuses a value that does not parse as the key's type", async () => {
    const error = await setError(join(dir(), "config.json"), "api.port", "eighty");
    expect(error.message).toBe("Cannot set config: api.port: /api/port must be an integer");
  });

  it("refuses a value the schema rejects and leaves the file as it was", async () => {
    const configFile = join(dir(), "config.json");
    writeFileSync(configFile, JSON.stringify({ api: { port: 1000 } }));
    const error = await setError(configFile, "api.port", "65536");
    expect(error.message).toBe("Cannot set config: api.port: /api/port must be <= 65535");
    expect(readJson(configFile)).toEqual({ api: { port: 1000 } });
  });

  it("validates the whole file after the change, naming the file for other bad keys", async () => {
    const configFile = join(dir(), "config.json");
    writeFileSync(configFile, JSON.stringify({ log: { level: "loud" } }));
    const error = await setError(configFile, "api.port", "8000");
    expect(error.message).toBe(
      `Cannot set config: ${configFile}: /log/level must be one of trace, debug, info, warn, error, fatal, silent`,
    );
    expect(error.type).toMatchObject({ code: "CONFIG_INVALID", file: configFile });
  });

  it("repairs a file whose only problem is the key being set", async () => {
    const configFile = join(dir(), "config.json");
    writeFileSync(configFile, JSON.stringify({ api: { port: 99_999 } }));
    await setConfigValue(configFile, "api.port", "8000");
    expect(readJson(configFile)).toEqual({ api: { port: 8000 } });
  });

  it("refuses to edit a file that is not JSON", async () => {
    const configFile = join(dir(), "config.json");
    writeFileSync(configFile, "{ nope");
    const error = await setError(configFile, "api.port", "8000");
    expect(error.message).toBe(`Cannot set config: ${configFile}: not valid JSON`);
    expect(readFileSync(configFile, "utf8")).toBe("{ nope");
  });

  it("reports a config path that is a directory as CONFIG_UNREADABLE", async () => {
    const configFile = join(dir(), "config.json");
    mkdirSync(configFile);
    const error = await setError(configFile, "api.port", "8000");
    expect(error.code).toBe("CONFIG_UNREADABLE");
    expect(error.message).toMatch(/^Cannot set config: /);
  });
});
