import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultConsensusOptions,
  defaultNodeOptions,
  defaultUpgradeOptions,
  type LoadConfigOptions,
  loadConfig,
} from "../../../src/config";
import { useTempDir } from "./tempDir";

const dir = useTempDir();

/** Never the real home or environment: every test runs against its own temp dir. */
function load(options: LoadConfigOptions = {}) {
  return loadConfig({ env: {}, home: dir(), platform: "linux", ...options });
}

function writeJson(file: string, value: unknown): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

async function loadError(options: LoadConfigOptions): Promise<ConfigError> {
  const error = await load(options).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("loadConfig() precedence", () => {
  type Layers = { flag?: number; env?: number; file?: number };
  it.each<[Layers, number, string]>([
    [{}, 7710, "default"],
    [{ file: 1001 }, 1001, "file"],
    [{ env: 1002 }, 1002, "env"],
    [{ flag: 1003 }, 1003, "flag"],
    [{ file: 1001, env: 1002 }, 1002, "env"],
    [{ file: 1001, flag: 1003 }, 1003, "flag"],
    [{ env: 1002, flag: 1003 }, 1003, "flag"],
    [{ file: 1001, env: 1002, flag: 1003 }, 1003, "flag"],
  ])("with layers %j api.port is %i from %s", async (layers, port, source) => {
    const configFile = join(dir(), "config.json");
    if (layers.file !== undefined) writeJson(configFile, { api: { port: layers.file } });
    const loaded = await load({
      configFile,
      env: layers.env === undefined ? {} : { ANODE_API_PORT: String(layers.env) },
      flags: layers.flag === undefined ? {} : { api: { port: layers.flag } },
    });
    expect(loaded.options.api.port).toBe(port);
    expect(loaded.sources["api.port"]).toBe(source);
  });

  it("fills every option from the defaults when nothing is set", async () => {
    const { options, sources } = await load();
    expect(options).toEqual({ ...defaultNodeOptions, dataDir: join(dir(), ".local/share/anode") });
    expect(new Set(Object.values(sources))).toEqual(new Set(["default"]));
  });

  it("merges layers per leaf, keeping siblings from lower layers", async () => {
    const configFile = writeJson(join(dir(), "config.json"), {
      api: { port: 1001, host: "127.0.0.5" },
      log: { level: "debug" },
    });
    const { options, sources } = await load({
      configFile,
      env: { ANODE_LOG_FORMAT: "json" },
      flags: { log: { level: "warn" } },
    });
    expect(options.api).toEqual({ port: 1001, host: "127.0.0.5", privateNetwork: false });
    expect(options.log).toEqual({ level: "warn", format: "json" });
    expect(sources).toMatchObject({
      "api.port": "file",
      "api.host": "file",
      "log.level": "flag",
      "log.format": "env",
      "node.networkId": "default",
    });
  });

  it("ignores flags passed as undefined", async () => {
    const { options, sources } = await load({ flags: { api: { port: undefined } } });
    expect(options.api.port).toBe(7710);
    expect(sources["api.port"]).toBe("default");
  });

  it("replaces the peer list as a whole rather than merging it", async () => {
    const configFile = writeJson(join(dir(), "config.json"), {
      p2p: { peers: [{ address: "127.0.0.2:7711" }, { address: "127.0.0.3:7711" }] },
    });
    const { options } = await load({
      configFile,
      flags: { p2p: { peers: [{ address: "127.0.0.4:7711", id: "n4" }] } },
    });
    expect(options.p2p.peers).toEqual([{ address: "127.0.0.4:7711", id: "n4" }]);
  });
});

describe("loadConfig() control API address", () => {
  it("binds a private address only with api.privateNetwork, which may come from another layer", async () => {
    const configFile = writeJson(join(dir(), "config.json"), { api: { host: "10.77.0.2" } });
    const refused = await loadError({ configFile });
    expect(refused.message).toBe(
      `Cannot load config: ${configFile}: /api/host must be a loopback address (127.0.0.0/8 or ::1) unless api.privateNetwork is true`,
    );
    const fromEnv = await loadError({ env: { ANODE_API_HOST: "192.168.1.4" } });
    expect(fromEnv.message).toContain("ANODE_API_HOST: /api/host must be a loopback address");
    const { options } = await load({
      configFile,
      env: { ANODE_API_PRIVATE_NETWORK: "true" },
    });
    expect(options.api).toMatchObject({ host: "10.77.0.2", privateNetwork: true });
  });
});

describe("loadConfig() environment", () => {
  it("maps and coerces every ANODE_* variable by schema type", async () => {
    const { options } = await load({
      env: {
        ANODE_DATA_DIR: join(dir(), "data"),
        ANODE_API_PORT: "8000",
        ANODE_API_HOST: "::1",
        ANODE_API_PRIVATE_NETWORK: "true",
        ANODE_LOG_LEVEL: "trace",
        ANODE_LOG_FORMAT: "pretty",
        ANODE_NODE_BLOCK_INTERVAL_MS: "50",
        ANODE_NODE_MAX_BLOCK_TXS: "10",
        ANODE_NODE_NETWORK_ID: "testnet-1",
        ANODE_MEMPOOL_MAX_TX_BYTES: "1024",
        ANODE_MEMPOOL_MAX_PENDING: "7",
        ANODE_EXECUTOR_WORKERS: "2",
        ANODE_P2P_LISTEN: "127.0.0.2:7711",
        ANODE_P2P_PEERS: '[{"address":"127.0.0.3:7711","id":"n3"}]',
      },
    });
    expect(options).toEqual({
      dataDir: join(dir(), "data"),
      api: { port: 8000, host: "::1", privateNetwork: true },
      log: { level: "trace", format: "pretty" },
      node: { blockIntervalMs: 50, maxBlockTxs: 10, networkId: "testnet-1" },
      mempool: { maxTxBytes: 1024, maxPending: 7 },
      executor: { workers: 2 },
      p2p: {
        ...defaultNodeOptions.p2p,
        listen: "127.0.0.2:7711",
        peers: [{ address: "127.0.0.3:7711", id: "n3" }],
      },
      upgrade: defaultUpgradeOptions,
      consensus: defaultConsensusOptions,
    });
  });

  it("treats empty variables as unset and ignores unknown ANODE_* names", async () => {
    const { options, sources } = await load({
      env: { ANODE_API_PORT: "", ANODE_API_PROT: "1", ANODE_SOMETHING_ELSE: "x" },
    });
    expect(options.api.port).toBe(7710);
    expect(sources["api.port"]).toBe("default");
  });

  it.each([
    [{ ANODE_API_PORT: "abc" }, "Cannot load config: ANODE_API_PORT: /api/port must be an integer"],
    [{ ANODE_API_PORT: "70000" }, "Cannot load config: ANODE_API_PORT: /api/port must be <= 65535"],
    [
      { ANODE_LOG_LEVEL: "loud" },
      "Cannot load config: ANODE_LOG_LEVEL: /log/level must be one of trace, debug, info, warn, error, fatal, silent",
    ],
    [
      { ANODE_API_HOST: "0.0.0.0" },
      "Cannot load config: ANODE_API_HOST: /api/host must be a loopback address (127.0.0.0/8 or ::1), or a private IPv4 address with api.privateNetwork",
    ],
    [
      { ANODE_P2P_PEERS: "[{" },
      "Cannot load config: ANODE_P2P_PEERS: /p2p/peers must be JSON (an array)",
    ],
    [
      { ANODE_P2P_PEERS: '[{"addr":"127.0.0.3:7711"}]' },
      "Cannot load config: ANODE_P2P_PEERS: /p2p/peers/0/address is required; /p2p/peers/0/addr is not a known option",
    ],
    [
      { ANODE_API_PORT: "x", ANODE_EXECUTOR_WORKERS: "y" },
      "Cannot load config: ANODE_API_PORT: /api/port must be an integer; ANODE_EXECUTOR_WORKERS: /executor/workers must be an integer",
    ],
  ])("refuses %j naming the variable", async (env, message) => {
    const error = await loadError({ env });
    expect(error.message).toBe(message);
    expect(error.type).toMatchObject({ code: "CONFIG_INVALID", source: "env" });
  });
});

describe("loadConfig() flags", () => {
  it("refuses an out-of-range flag naming it", async () => {
    const error = await loadError({ flags: { executor: { workers: 65 } } });
    expect(error.message).toBe(
      "Cannot load config: flag executor.workers: /executor/workers must be <= 64",
    );
    expect(error.type).toMatchObject({
      code: "CONFIG_INVALID",
      source: "flag",
      path: "/executor/workers",
    });
  });

  it("refuses an unknown flag key", async () => {
    const flags = { api: { prot: 1 } } as LoadConfigOptions["flags"];
    const error = await loadError({ flags });
    expect(error.message).toBe("Cannot load config: flags: /api/prot is not a known option");
  });
});

describe("loadConfig() config file", () => {
  it.each([
    [{ api: { port: "8000" } }, "/api/port must be an integer"],
    [{ api: { port: 0 } }, "/api/port must be >= 1"],
    [{ node: { blockIntervalMs: 60_001 } }, "/node/blockIntervalMs must be <= 60000"],
    [{ node: { networkId: "Anode" } }, "/node/networkId must be lowercase letters, digits and '-'"],
    [
      { node: { networkId: "a".repeat(65) } },
      "/node/networkId must NOT have more than 64 characters",
    ],
    [{ p2p: { listen: "127.0.0.1" } }, "/p2p/listen must be host:port, e.g. 127.0.0.1:7711"],
    [{ telemetry: true }, "/telemetry is not a known option"],
    [{ api: [] }, "/api must be an object"],
  ])("refuses %j naming the file and path", async (content, reason) => {
    const configFile = writeJson(join(dir(), "config.json"), content);
    const error = await loadError({ configFile });
    expect(error.message).toBe(`Cannot load config: ${configFile}: ${reason}`);
    expect(error.type).toMatchObject({ code: "CONFIG_INVALID", source: "file", file: configFile });
  });

  it("lists every failing path of a file at once", async () => {
    const configFile = writeJson(join(dir(), "config.json"), {
      api: { port: 70_000, host: "10.0.0.256" },
      extra: 1,
    });
    const error = await loadError({ configFile });
    expect(error.message).toBe(
      `Cannot load config: ${configFile}: /extra is not a known option; /api/port must be <= 65535; /api/host must be a loopback address (127.0.0.0/8 or ::1), or a private IPv4 address with api.privateNetwork`,
    );
    expect(error.type.code === "CONFIG_INVALID" && error.type.issues.map((i) => i.path)).toEqual([
      "/extra",
      "/api/port",
      "/api/host",
    ]);
  });

  it("refuses a file that is not JSON", async () => {
    const configFile = writeJson(join(dir(), "config.json"), '{ "api": ');
    const error = await loadError({ configFile });
    expect(error.message).toBe(`Cannot load config: ${configFile}: not valid JSON`);
    expect(error.code).toBe("CONFIG_INVALID");
  });

  it("reports a config path that cannot be read as CONFIG_UNREADABLE", async () => {
    const configFile = join(dir(), "config.json");
    mkdirSync(configFile);
    const error = await loadError({ configFile });
    expect(error.code).toBe("CONFIG_UNREADABLE");
    expect(error.message).toContain(`Cannot load config: ${configFile}: `);
  });

  it("reports a config path under a regular file as CONFIG_UNREADABLE", async () => {
    const blocker = writeJson(join(dir(), "blocker"), "{}");
    const error = await loadError({ configFile: join(blocker, "config.json") });
    expect(error.code).toBe("CONFIG_UNREADABLE");
  });

  it("accepts a file with a byte order mark", async () => {
    const configFile = writeJson(join(dir(), "config.json"), '\uFEFF{"api":{"port":1234}}');
    expect((await load({ configFile })).options.api.port).toBe(1234);
  });

  it("treats a missing file as empty without creating its directory", async () => {
    const configFile = join(dir(), "absent", "config.json");
    const loaded = await load({ configFile });
    expect(loaded.configFile).toBe(configFile);
    expect(loaded.options.api.port).toBe(7710);
    expect(existsSync(join(dir(), "absent"))).toBe(false);
  });

  it("resolves a relative dataDir in the file against the file's directory", async () => {
    const configFile = writeJson(join(dir(), "etc", "config.json"), { dataDir: "../state" });
    expect((await load({ configFile })).options.dataDir).toBe(join(dir(), "state"));
  });

  it("resolves a relative dataDir flag against the working directory", async () => {
    const { options } = await load({
      flags: { dataDir: "rel-data" },
      configFile: join(dir(), "c.json"),
    });
    expect(options.dataDir).toBe(join(process.cwd(), "rel-data"));
  });
});

describe("loadConfig() config file location", () => {
  /** One file per candidate location, each with its own port, so the port says which was read. */
  function writeCandidates() {
    const candidates = {
      explicit: writeJson(join(dir(), "explicit.json"), { api: { port: 1001 } }),
      anodeConfig: writeJson(join(dir(), "from-env.json"), { api: { port: 1002 } }),
      flagDataDir: writeJson(join(dir(), "flag-data", "config.json"), { api: { port: 1003 } }),
      envDataDir: writeJson(join(dir(), "env-data", "config.json"), { api: { port: 1004 } }),
      platform: writeJson(join(dir(), ".local/share/anode/config.json"), { api: { port: 1005 } }),
    };
    return candidates;
  }

  it.each<[string, (c: ReturnType<typeof writeCandidates>) => LoadConfigOptions, number]>([
    [
      "an explicit configFile wins over everything",
      (c) => ({
        configFile: c.explicit,
        env: { ANODE_CONFIG: c.anodeConfig, ANODE_DATA_DIR: join(dir(), "env-data") },
        flags: { dataDir: join(dir(), "flag-data") },
      }),
      1001,
    ],
    [
      "ANODE_CONFIG wins over the data directory",
      (c) => ({
        env: { ANODE_CONFIG: c.anodeConfig, ANODE_DATA_DIR: join(dir(), "env-data") },
        flags: { dataDir: join(dir(), "flag-data") },
      }),
      1002,
    ],
    [
      "a dataDir flag wins over ANODE_DATA_DIR",
      () => ({
        env: { ANODE_CONFIG: "", ANODE_DATA_DIR: join(dir(), "env-data") },
        flags: { dataDir: join(dir(), "flag-data") },
      }),
      1003,
    ],
    [
      "ANODE_DATA_DIR wins over the platform default",
      () => ({ env: { ANODE_DATA_DIR: join(dir(), "env-data") } }),
      1004,
    ],
    ["the platform data directory is the fallback", () => ({}), 1005],
  ])("%s", async (_name, options, port) => {
    const loaded = await load(options(writeCandidates()));
    expect(loaded.options.api.port).toBe(port);
  });

  it("uses the system-wide config file in service mode", async () => {
    const loaded = await load({ platform: "darwin", system: true, flags: { dataDir: dir() } });
    expect(loaded.configFile).toBe("/Library/Preferences/anode/config.json");
    expect(loaded.options.dataDir).toBe(dir());
  });

  it("uses the system-wide data directory in service mode", async () => {
    const loaded = await load({ platform: "darwin", system: true });
    expect(loaded.options.dataDir).toBe("/Library/Application Support/anode");
  });
});

describe("loadConfig() result", () => {
  it("is deeply frozen", async () => {
    const configFile = writeJson(join(dir(), "config.json"), {
      p2p: { peers: [{ address: "127.0.0.2:7711" }] },
    });
    const loaded = await load({ configFile });
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.sources)).toBe(true);
    expect(Object.isFrozen(loaded.options.p2p.peers[0])).toBe(true);
    expect(() => {
      (loaded.options.api as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (loaded.options.p2p.peers as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it("does not share objects with defaultNodeOptions", async () => {
    const loaded = await load({ flags: { api: { port: 9000 } } });
    expect(defaultNodeOptions.api.port).toBe(7710);
    expect(loaded.options.api).not.toBe(defaultNodeOptions.api);
  });
});
