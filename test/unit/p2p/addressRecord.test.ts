import { describe, expect, it } from "vitest";
import { generateIdentity } from "../../../src/p2p";
import { signAddressRecord, verifyAddressRecord } from "../../../src/p2p/addressRecord";
import { addressRefusal } from "../../../src/p2p/addressRefusal";

describe("address records", () => {
  const identity = generateIdentity();
  const record = signAddressRecord(identity, "net-a", "127.0.0.2:7711", 1_000);

  it("verify as signed by the node they name, on their network", () => {
    expect(verifyAddressRecord(record, "net-a")).toBe(true);
    expect(verifyAddressRecord(record, "net-b")).toBe(false);
  });

  it.each([
    ["another address", { address: "127.0.0.3:7711" }],
    ["another time", { at: 2_000 }],
    ["another id", { id: generateIdentity().id }],
    ["another node's key", { publicKey: generateIdentity().publicKey }],
  ])("refuse %s than was signed", (_what, change) => {
    expect(verifyAddressRecord({ ...record, ...change }, "net-a")).toBe(false);
  });

  it("cannot be re-signed by a relay for an id it does not hold", () => {
    const relay = generateIdentity();
    const forged = {
      ...signAddressRecord(relay, "net-a", "10.0.0.9:7711", 1_000),
      id: identity.id,
    };
    expect(verifyAddressRecord(forged, "net-a")).toBe(false);
  });
});

describe("addressRefusal()", () => {
  it.each([
    ["127.0.0.2:7711", undefined],
    ["node-3.example.org:7711", undefined],
    ["[::1]:7711", undefined],
    ["n12:7000", undefined],
    ["0.0.0.0:7711", "unspecified host"],
    ["[::]:7711", "unspecified host"],
    ["127.0.0.1:0", "port 0"],
    ["127.0.0.1", "not host:port"],
    ["127.0.0.1:99999", "not host:port"],
    ["bad host!:7711", "not a host name"],
  ])("%s: %s", (address, refusal) => {
    expect(addressRefusal(address)).toBe(refusal);
  });

  it.each([
    ["127.0.0.2:7711", "127.0.0.9", undefined],
    ["127.0.0.2:7711", "::1", undefined],
    ["127.0.0.2:7711", "203.0.113.5", "loopback from a remote peer"],
    ["localhost:7711", "203.0.113.5", "loopback from a remote peer"],
    ["203.0.113.7:7711", "203.0.113.5", undefined],
  ])("%s from %s: %s", (address, from, refusal) => {
    expect(addressRefusal(address, from)).toBe(refusal);
  });
});
