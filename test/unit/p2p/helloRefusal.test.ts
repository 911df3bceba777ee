import { describe, expect, it } from "vitest";
import {
  generateIdentity,
  type HelloFrame,
  helloRefusal,
  PROTOCOL_VERSION,
} from "../../../src/p2p";

const self = generateIdentity();
const peer = generateIdentity();
const hello: HelloFrame = {
  type: "hello",
  network: "net",
  id: peer.id,
  publicKey: peer.publicKey,
  protocol: PROTOCOL_VERSION,
  version: "1.0.0",
  challenge: new Uint8Array(32),
  ephemeralKey: new Uint8Array(32).fill(9),
  listen: "",
};
const expect0 = { networkId: "net", selfId: self.id, expectedId: undefined };

describe("helloRefusal", () => {
  it.each([
    ["an acceptable hello", {}, {}, undefined],
    ["another network", { network: "other" }, {}, "wrong_network"],
    ["another protocol version", { protocol: PROTOCOL_VERSION + 1 }, {}, "wrong_protocol"],
    ["an id not derived from the key", { id: self.id }, { selfId: "f".repeat(40) }, "bad_identity"],
    ["this node itself", {}, { selfId: peer.id }, "self_connection"],
    ["another id than configured", {}, { expectedId: self.id }, "unexpected_peer"],
  ] as const)("%s", (_what, change, context, key) => {
    expect(helloRefusal({ ...hello, ...change }, { ...expect0, ...context })?.key).toBe(key);
  });

  it("a protocol 1 hello, without an ephemeral key, is refused for its version first", () => {
    const { ephemeralKey: _, ...v1 } = hello;
    expect(helloRefusal({ ...v1, protocol: 1 }, expect0)?.key).toBe("wrong_protocol");
    expect(helloRefusal(v1, expect0)).toEqual({
      key: "protocol_violation",
      detail: "hello without ephemeral key",
    });
  });

  it("names both versions when the protocol differs", () => {
    const refusal = helloRefusal({ ...hello, protocol: 0 }, expect0);
    expect(refusal?.detail).toBe(`0, expected ${PROTOCOL_VERSION}`);
  });
});
