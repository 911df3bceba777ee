import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "../../../../src/cli/exitCodes";
import { listConfigKeys } from "../../../../src/config";
import { cli } from "../../../support/cliHarness";
import { tempDir } from "../../../support/tempDir";

let dir: { path: string; remove(): void } | undefined;
beforeEach(() => {
  dir = tempDir("anode-cliconfig-");
});
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

function dataDir(): string {
  if (dir === undefined) throw new Error("no temp dir outside a test");
  return dir.path;
}

describe("anode config get", () => {
  it("lists every setting with its value, source and environment variable", async () => {
    const r = await cli(["--data-dir", dataDir(), "--api-port", "9001", "config", "get"], {
      env: { ANODE_LOG_LEVEL: "warn" },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(listConfigKeys().length);
    expect(lines).toContain("api.port = 9001  (flag, env ANODE_API_PORT)");
    expect(lines).toContain('log.level = "warn"  (env, env ANODE_LOG_LEVEL)');
    expect(lines).toContain(
      "node.blockIntervalMs = 200  (default, env ANODE_NODE_BLOCK_INTERVAL_MS)",
    );
    expect(lines).toContain(`dataDir = ${JSON.stringify(dataDir())}  (flag, env ANODE_DATA_DIR)`);
  });

  it("--json lists the config file and every setting", async () => {
    const r = await cli(["--data-dir", dataDir(), "--json", "config", "get"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      configFile: string;
      settings: Array<{ key: string; value: unknown; source: string; env: string }>;
    };
    expect(out.configFile).toBe(join(dataDir(), "config.json"));
    expect(out.settings.map((s) => s.key)).toEqual(listConfigKeys().map((k) => k.key));
    expect(out.settings.find((s) => s.key === "api.host")).toEqual({
      key: "api.host",
      value: "127.0.0.1",
      source: "default",
      env: "ANODE_API_HOST",
    });
  });

  it("prints one setting: strings as they are, others as JSON", async () => {
    const g = ["--data-dir", dataDir(), "config", "get"];
    expect(await cli([...g, "api.host"])).toEqual({ code: 0, stdout: "127.0.0.1\n", stderr: "" });
    expect((await cli([...g, "api.port"])).stdout).toBe("7710\n");
    expect(JSON.parse((await cli([...g, "api"])).stdout)).toEqual({
      port: 7710,
      host: "127.0.0.1",
      privateNetwork: false,
    });
  });

  it("--json prints one setting with where it came from", async () => {
    const r = await cli(["--data-dir", dataDir(), "--json", "config", "get", "api.port"], {
      env: { ANODE_API_PORT: "7999" },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ key: "api.port", value: 7999, source: "env" });
  });

  it("exits 2 for an unknown key", async () => {
    const r = await cli(["--data-dir", dataDir(), "config", "get", "api.nope"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe("anode: Cannot get api.nope: no such setting (see anode config get)\n");
  });

  it("exits 2 when the environment holds a bad value, naming the variable", async () => {
    const r = await cli(["--data-dir", dataDir(), "config", "get"], {
      env: { ANODE_API_PORT: "not-a-port" },
    });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("ANODE_API_PORT");
  });

  it("exits 2 when the config file is not valid JSON", async () => {
    writeFileSync(join(dataDir(), "config.json"), "{ nope");
    const r = await cli(["--data-dir", dataDir(), "config", "get"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(join(dataDir(), "config.json"));
  });
});

describe("anode config set", () => {
  it("writes a valid setting to the config file, which config get then reports", async () => {
    const file = join(dataDir(), "config.json");
    const r = await cli(["--data-dir", dataDir(), "config", "set", "node.blockIntervalMs", "500"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`node.blockIntervalMs = 500 in ${file} (restart the node to apply)\n`);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ node: { blockIntervalMs: 500 } });
    const got = await cli([
      "--data-dir",
      dataDir(),
      "--json",
      "config",
      "get",
      "node.blockIntervalMs",
    ]);
    expect(JSON.parse(got.stdout)).toEqual({
      key: "node.blockIntervalMs",
      value: 500,
      source: "file",
    });
  });

  it("--json prints the key, parsed value and file; --config chooses the file", async () => {
    const file = join(dataDir(), "other.json");
    const r = await cli([
      "--data-dir",
      dataDir(),
      "--config",
      file,
      "--json",
      "config",
      "set",
      "log.level",
      "debug",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ key: "log.level", value: "debug", configFile: file });
    expect(existsSync(join(dataDir(), "config.json"))).toBe(false);
  });

  it("exits 2 for a value the schema refuses, and writes nothing", async () => {
    const r = await cli(["--data-dir", dataDir(), "config", "set", "api.port", "abc"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe("anode: Cannot set config: api.port: /api/port must be an integer\n");
    expect(existsSync(join(dataDir(), "config.json"))).toBe(false);
  });

  it("exits 2 for a missing value", async () => {
    const r = await cli(["--data-dir", dataDir(), "config", "set", "api.port"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("missing required argument 'value'");
  });
});

describe("anode config path", () => {
  it("prints the config file in the data directory", async () => {
    const r = await cli(["--data-dir", dataDir(), "config", "path"]);
    expect(r).toEqual({ code: 0, stdout: `${join(dataDir(), "config.json")}\n`, stderr: "" });
  });

  it("--json prints the config file and the data directory; ANODE_CONFIG moves the file", async () => {
    const file = join(dataDir(), "elsewhere.json");
    const r = await cli(["--json", "config", "path"], {
      env: { ANODE_DATA_DIR: dataDir(), ANODE_CONFIG: file },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ configFile: file, dataDir: dataDir() });
  });
});
