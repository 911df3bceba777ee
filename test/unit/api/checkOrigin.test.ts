import { describe, expect, it } from "vitest";
import { ApiError, checkOrigin } from "../../../src/api";

describe("checkOrigin()", () => {
  it.each([
    [undefined, "127.0.0.1:7710", "no Origin (the CLI, curl, Prometheus)"],
    ["http://127.0.0.1:7710", "127.0.0.1:7710", "the API's own origin"],
    ["http://localhost:7710", "localhost:7710", "its own origin under localhost"],
    ["http://localhost:7710", "LOCALHOST:7710", "a Host in capitals"],
    ["http://[::1]:7710", "[::1]:7710", "its own origin over IPv6"],
    ["http://localhost", "localhost:80", "port 80, which browsers leave out of Origin"],
    ["http://localhost", "localhost", "no port on either"],
  ])("accepts Origin %j under Host %j (%s)", (origin, host, _why) => {
    expect(checkOrigin(origin, host)).toBeUndefined();
  });

  it.each([
    ["http://attacker.example", "127.0.0.1:7710", "another site"],
    ["http://attacker.example:7710", "127.0.0.1:7710", "another site on the same port"],
    ["https://127.0.0.1:7710", "127.0.0.1:7710", "another scheme"],
    ["http://127.0.0.1:7711", "127.0.0.1:7710", "another port"],
    ["http://localhost:7710", "127.0.0.1:7710", "another loopback name than the Host"],
    ["null", "127.0.0.1:7710", "an opaque origin (sandboxed frame, file://)"],
    ["", "127.0.0.1:7710", "an empty Origin"],
    ["http://127.0.0.1:7710/", "127.0.0.1:7710", "a path after the origin"],
    ["http://127.0.0.1:7710, http://attacker.example", "127.0.0.1:7710", "two origins"],
  ])("refuses Origin %j under Host %j (%s) with API_ORIGIN_REFUSED", (origin, host, _why) => {
    const err = checkOrigin(origin, host);
    expect(err).toBeInstanceOf(ApiError);
    expect(err?.code).toBe("API_ORIGIN_REFUSED");
  });

  it("says which origin it refused and which one it serves", () => {
    const err = checkOrigin("http://attacker.example", "127.0.0.1:7710");
    expect(err?.type).toEqual({ code: "API_ORIGIN_REFUSED", origin: '"http://attacker.example"' });
    expect(err?.message).toBe(
      `Cannot serve request: the Origin header "http://attacker.example" is not this API's own origin (http://127.0.0.1:7710); the control API does not answer pages from other sites`,
    );
  });
});
