import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultNodeOptions,
  getConfigValue,
  type NodeOptions,
} from "../../../src/config";

const options: NodeOptions = { ...defaultNodeOptions, dataDir: "/data" };

describe("getConfigValue()", () => {
  it("reads a leaf by its dotted key", () => {
    expect(getConfigValue(options, "api.port")).toBe(7710);
    expect(getConfigValue(options, "dataDir")).toBe("/data");
  });

  it("reads a whole section", () => {
    expect(getConfigValue(options, "log")).toEqual({ level: "info", format: "auto" });
  });

  it.each(["api.prot", "nope", "", "api.port.x", "constructor", "api.toString"])(
    "throws CONFIG_UNKNOWN_KEY for %j",
    (key) => {
      expect(() => getConfigValue(options, key)).toThrow(ConfigError);
      try {
        getConfigValue(options, key);
      } catch (err) {
        expect((err as ConfigError).type).toEqual({ code: "CONFIG_UNKNOWN_KEY", path: key });
      }
    },
  );
});
