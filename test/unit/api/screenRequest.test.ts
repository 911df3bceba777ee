import { describe, expect, it } from "vitest";
import { screenRequest } from "../../../src/api";

describe("screenRequest()", () => {
  it.each([
    [{ host: "127.0.0.1:7710" }, undefined],
    [{ host: "localhost:7710", origin: "http://localhost:7710" }, undefined],
    [{}, "API_HOST_REFUSED"],
    [{ host: "attacker.example:7710" }, "API_HOST_REFUSED"],
    // Under DNS rebinding Origin and Host agree; the Host is what gives the page away.
    [{ host: "attacker.example:7710", origin: "http://attacker.example:7710" }, "API_HOST_REFUSED"],
    [{ host: "127.0.0.1:7710", origin: "http://attacker.example" }, "API_ORIGIN_REFUSED"],
  ])("screens %j: %s", (headers, code) => {
    expect(screenRequest(headers, "127.0.0.1")?.code).toBe(code);
  });
});
