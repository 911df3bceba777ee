import { Ajv2020 } from "ajv/dist/2020";
import Conf from "conf";
import { describe, expect, it } from "vitest";
import { defaultNodeOptions, nodeOptionsSchema } from "../../../src/config";
import { validateOptions } from "../../../src/config/validateOptions";
import { useTempDir } from "./tempDir";

const dir = useTempDir();

function messages(value: unknown): string[] {
  return validateOptions(value, () => "test").map((issue) => `${issue.path} ${issue.message}`);
}

describe("nodeOptionsSchema", () => {
  it("is a valid JSON Schema 2020-12 document (the node skips this check at start-up)", () => {
    const ajv = new Ajv2020({ strict: true });
    expect(ajv.validateSchema(nodeOptionsSchema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it("accepts the defaults", () => {
    expect(messages({ ...defaultNodeOptions, dataDir: "/data" })).toEqual([]);
  });

  it("accepts an empty layer, since nothing is required", () => {
    expect(messages({})).toEqual([]);
  });

  it("compiles in conf's own validator, which then enforces the same ranges", () => {
    const store = new Conf<Record<string, unknown>>({
      projectName: "anode",
      cwd: dir(),
      schema: nodeOptionsSchema.properties as never,
      rootSchema: { additionalProperties: false },
    });
    store.set("api.port", 8000);
    expect(store.get("api.port")).toBe(8000);
    expect(() => store.set("api.port", 70_000)).toThrow(/must be <= 65535/);
  });

  it.each(["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1"])(
    "accepts %s as api.host",
    (host) => {
      expect(messages({ api: { host } })).toEqual([]);
    },
  );

  it.each([
    "0.0.0.0",
    "10.0.0.256",
    "172.32.0.1",
    "192.169.0.1",
    "128.0.0.1",
    "127.0.0.256",
    "127.1",
    "localhost",
    "::",
    "[::1]",
    " 127.0.0.1",
  ])("refuses %j as api.host", (host) => {
    expect(messages({ api: { host } })).toEqual([
      "/api/host must be a loopback address (127.0.0.0/8 or ::1), or a private IPv4 address with api.privateNetwork",
    ]);
  });

  it.each(["127.0.0.1", "::1", "10.77.0.2", "172.16.4.1", "172.31.0.9", "192.168.1.20"])(
    "takes %j as api.host in a layer (loopback, or private for api.privateNetwork)",
    (host) => {
      expect(messages({ api: { host, privateNetwork: true } })).toEqual([]);
    },
  );

  it.each(["127.0.0.1:7711", "0.0.0.0:1", "[::1]:65535", "node-1.example:80"])(
    "accepts %s as p2p.listen",
    (listen) => {
      expect(messages({ p2p: { listen } })).toEqual([]);
    },
  );

  it.each(["127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":7711", "ws://127.0.0.1:7711"])(
    "refuses %j as p2p.listen",
    (listen) => {
      expect(messages({ p2p: { listen } })).toEqual([
        "/p2p/listen must be host:port, e.g. 127.0.0.1:7711",
      ]);
    },
  );

  it.each([
    [{ node: { networkId: "" } }, "/node/networkId must NOT have fewer than 1 characters"],
    [{ node: { maxBlockTxs: 100_001 } }, "/node/maxBlockTxs must be <= 100000"],
    [{ mempool: { maxTxBytes: 0 } }, "/mempool/maxTxBytes must be >= 1"],
    [{ mempool: { maxPending: 1.5 } }, "/mempool/maxPending must be an integer"],
    [{ executor: { workers: "4" } }, "/executor/workers must be an integer"],
    [{ dataDir: "" }, "/dataDir must NOT have fewer than 1 characters"],
    [{ log: { format: "xml" } }, "/log/format must be one of auto, json, pretty"],
    [{ p2p: { peers: {} } }, "/p2p/peers must be an array"],
    [
      { p2p: { peers: [{ address: "127.0.0.2:7711", id: "" }] } },
      "/p2p/peers/0/id must NOT have fewer than 1 characters",
    ],
  ])("refuses %j", (value, message) => {
    expect(messages(value)).toEqual([message]);
  });
});
