import { describe, expect, it } from "vitest";
import { ApiError, checkHost, MAX_HOST_HEADER_CHARS } from "../../../src/api";

describe("checkHost()", () => {
  it.each([
    ["127.0.0.1:7710", "127.0.0.1"],
    ["127.0.0.1", "127.0.0.1"],
    ["127.1.2.3:7710", "127.0.0.1"],
    ["127.255.255.255:65535", "127.0.0.1"],
    ["localhost:7710", "127.0.0.1"],
    ["LocalHost:7710", "127.0.0.1"],
    ["localhost", "127.0.0.1"],
    ["[::1]:7710", "127.0.0.1"],
    ["[::1]", "127.0.0.1"],
    // A tunnel changes the port; the name is what tells a rebinding page apart.
    ["127.0.0.1:8000", "127.0.0.1"],
    // The bound address, whatever it is.
    ["127.0.0.9:7710", "127.0.0.9"],
    ["[fd00::1]:7710", "fd00::1"],
    ["[FD00::1]:7710", "fd00::1"],
  ])("accepts Host %j when bound to %s", (host, bound) => {
    expect(checkHost(host, bound)).toBeUndefined();
  });

  it.each([
    ["attacker.example:7710", "a DNS name"],
    ["attacker.example", "a DNS name without a port"],
    ["localhost.attacker.example:7710", "a name that starts like localhost"],
    ["127.0.0.1.attacker.example:7710", "a name that starts like a loopback literal"],
    ["app.localhost:7710", "a subdomain of localhost"],
    ["localhost.:7710", "localhost with a trailing dot, resolved by DNS"],
    ["10.0.0.1:7710", "a private address"],
    ["0.0.0.0:7710", "the wildcard address"],
    ["128.0.0.1:7710", "an address outside 127/8"],
    ["127.0.0.256:7710", "an octet above 255"],
    ["127.0.0.01:7710", "an octet with a leading zero"],
    ["127.1:7710", "a short IPv4 form"],
    ["[::2]:7710", "another IPv6 address"],
    ["::1", "IPv6 without brackets"],
    ["[::1]x", "junk after the brackets"],
    ["localhost:0", "port 0"],
    ["localhost:65536", "a port above 65535"],
    ["localhost:07710", "a port with a leading zero"],
    ["localhost:", "an empty port"],
    ["localhost:77a", "a port that is not a number"],
    ["localhost:7710:7710", "two ports"],
    ["localhost, attacker.example", "two names"],
    [" localhost:7710", "a leading space"],
  ])("refuses Host %j (%s) with API_HOST_REFUSED", (host) => {
    const err = checkHost(host, "127.0.0.1");
    expect(err).toBeInstanceOf(ApiError);
    expect(err?.code).toBe("API_HOST_REFUSED");
    expect(err?.message).toMatch(
      /^Cannot serve request: the Host header ".*" is not a loopback name/,
    );
  });

  it("refuses a missing or empty Host", () => {
    for (const host of [undefined, ""]) {
      const err = checkHost(host, "127.0.0.1");
      expect(err?.type).toEqual({ code: "API_HOST_REFUSED", host: "(none)" });
      expect(err?.message).toMatch(/^Cannot serve request: the Host header is missing/);
    }
  });

  it("refuses a Host longer than MAX_HOST_HEADER_CHARS without quoting all of it", () => {
    const long = `localhost:${"7".repeat(MAX_HOST_HEADER_CHARS)}`;
    const err = checkHost(long, "127.0.0.1");
    expect(err?.code).toBe("API_HOST_REFUSED");
    expect(err?.message.length).toBeLessThan(long.length + 200);
    expect(err?.message).not.toContain(long);
  });

  it("quotes the refused Host in the message and the metadata", () => {
    const err = checkHost("attacker.example:7710", "127.0.0.1");
    expect(err?.type).toEqual({ code: "API_HOST_REFUSED", host: '"attacker.example:7710"' });
    expect(err?.message).toContain(
      'the Host header "attacker.example:7710" is not a loopback name',
    );
  });
});
