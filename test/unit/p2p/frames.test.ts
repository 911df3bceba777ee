import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import {
  decodeFrame,
  encodeFrame,
  FRAME_TAGS,
  type Frame,
  frameLimitOf,
  generateIdentity,
  gossipId,
  hasCode,
  MAX_BODY_DEPTH,
  MAX_DIRECT_BYTES,
  MAX_FRAME_BYTES,
  MAX_GOSSIP_BYTES,
  PROTOCOL_VERSION,
} from "./framesFixture";

const id = generateIdentity();
const raw = new Packr({ useRecords: false });

function wire(tag: number, payload: unknown): Uint8Array {
  return Buffer.concat([Buffer.of(tag), raw.pack(payload)]);
}

function decodeError(bytes: Uint8Array): string {
  try {
    decodeFrame(bytes);
  } catch (err) {
    if (hasCode(err, "P2P_FRAME_TOO_LARGE")) return `too-large: ${err.message}`;
    if (hasCode(err, "P2P_FRAME_MALFORMED")) return `malformed: ${err.message}`;
    if (hasCode(err, "P2P_FRAME_INVALID")) return `invalid: ${err.message}`;
    if (hasCode(err, "P2P_FRAME_UNKNOWN_TYPE")) return `unknown: ${err.message}`;
    throw err;
  }
  return "ok";
}

const hello: Frame = {
  type: "hello",
  network: "net",
  id: id.id,
  publicKey: id.publicKey,
  protocol: PROTOCOL_VERSION,
  version: "1.2.3",
  challenge: new Uint8Array(32).fill(3),
  listen: "127.0.0.2:4000",
};

const valid: Frame[] = [
  hello,
  { type: "auth", signature: new Uint8Array(64).fill(9) },
  {
    type: "msg",
    message: { kind: "call", to: "storage", from: "api", callId: 7, body: { k: [1, "two", null] } },
  },
  {
    type: "msg",
    message: { kind: "reply", callId: 7, ok: false, error: { code: "E", message: "no" } },
  },
  { type: "msg", message: { kind: "send", to: "x", body: undefined } },
  {
    type: "gossip",
    id: gossipId(id.id, 1, "tx"),
    origin: id.id,
    seq: 1,
    topic: "tx",
    hops: 3,
    body: { list: [1, 2.5, "three", null, true], big: 2n ** 60n },
  },
  { type: "ping", nonce: 0 },
  { type: "pong", nonce: 2 ** 40 },
];

describe("frame codec", () => {
  it.each(valid.map((f) => [f.type, f] as const))(
    "encode/decode round-trips a %s frame",
    (_type, frame) => {
      const bytes = encodeFrame(frame);
      expect(bytes[0]).toBe(FRAME_TAGS[frame.type]);
      const back = decodeFrame(bytes);
      if (frame.type === "msg" && frame.message.kind === "send") {
        expect(back).toEqual({ type: "msg", message: { kind: "send", to: "x" } });
      } else {
        expect(back).toEqual(frame);
      }
    },
  );

  it("decodes bytes in a body as bytes and refuses unencodable bodies", () => {
    const frame: Frame = { type: "msg", message: { kind: "cast", body: new Uint8Array([1, 2]) } };
    const back = decodeFrame(encodeFrame(frame));
    expect(back.type === "msg" && back.message.body instanceof Uint8Array).toBe(true);
    expect(() => encodeFrame({ type: "msg", message: { kind: "cast", body: 2n ** 70n } })).toThrow(
      /Cannot encode msg frame/,
    );
  });

  it("every limit is named and MAX_FRAME_BYTES is the largest", () => {
    expect(frameLimitOf("msg")).toBe(MAX_DIRECT_BYTES);
    expect(frameLimitOf("gossip")).toBe(MAX_GOSSIP_BYTES);
    expect(MAX_FRAME_BYTES).toBe(MAX_DIRECT_BYTES);
  });

  it("encodeFrame() refuses a frame over its type's limit", () => {
    const body = new Uint8Array(MAX_GOSSIP_BYTES);
    expect(() =>
      encodeFrame({
        type: "gossip",
        id: new Uint8Array(16),
        origin: id.id,
        seq: 0,
        topic: "t",
        hops: 1,
        body,
      }),
    ).toThrow(/Cannot encode gossip frame: \d+ bytes exceeds the limit of 262144/);
  });

  const sig = (n: number) => new Uint8Array(n);
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty frame", new Uint8Array(), /^unknown: .*empty frame/],
    ["unknown tag", Uint8Array.of(99, 0xc0), /^unknown: .*type 99/],
    ["over MAX_FRAME_BYTES", new Uint8Array(MAX_FRAME_BYTES + 1).fill(3), /^too-large: .*1048577/],
    ["hello over its limit", new Uint8Array(2000).fill(1), /^too-large: Cannot decode hello frame/],
    ["bad MessagePack", Uint8Array.of(FRAME_TAGS.ping, 0x92, 0x01), /^malformed/],
    ["trailing bytes", Uint8Array.of(FRAME_TAGS.ping, 0x80, 0x00), /^malformed/],
    ["0xc1 (never used)", Uint8Array.of(FRAME_TAGS.ping, 0xc1), /^invalid: .*ping must be a map/],
    ["not a map", wire(FRAME_TAGS.auth, [1, 2]), /^invalid: .*auth must be a map/],
    ["missing field", wire(FRAME_TAGS.auth, {}), /auth.signature is missing/],
    [
      "unknown field",
      wire(FRAME_TAGS.auth, { signature: sig(64), extra: 1 }),
      /auth has unknown field/,
    ],
    [
      "short signature",
      wire(FRAME_TAGS.auth, { signature: sig(63) }),
      /auth.signature must be 64 bytes/,
    ],
    ["signature as string", wire(FRAME_TAGS.auth, { signature: "x".repeat(64) }), /must be bytes/],
    [
      "short key",
      wire(FRAME_TAGS.hello, { ...hello, type: undefined, publicKey: sig(31) }),
      /hello has unknown field|publicKey/,
    ],
    [
      "short challenge",
      wire(FRAME_TAGS.hello, {
        network: "n",
        id: id.id,
        publicKey: sig(32),
        protocol: 1,
        version: "v",
        challenge: sig(16),
        listen: "",
      }),
      /hello.challenge must be 32 bytes/,
    ],
    [
      "id not hex",
      wire(FRAME_TAGS.hello, {
        network: "n",
        id: "Z".repeat(40),
        publicKey: sig(32),
        protocol: 1,
        version: "v",
        challenge: sig(32),
        listen: "",
      }),
      /hello.id must be a node id/,
    ],
    [
      "long network id",
      wire(FRAME_TAGS.hello, {
        network: "n".repeat(65),
        id: id.id,
        publicKey: sig(32),
        protocol: 1,
        version: "v",
        challenge: sig(32),
        listen: "",
      }),
      /hello.network longer than 64/,
    ],
    ["negative nonce", wire(FRAME_TAGS.ping, { nonce: -1 }), /ping.nonce must be an integer/],
    ["fractional nonce", wire(FRAME_TAGS.pong, { nonce: 1.5 }), /pong.nonce must be an integer/],
    ["unknown kind", wire(FRAME_TAGS.msg, { kind: "poke" }), /msg.kind is unknown/],
    ["ok not boolean", wire(FRAME_TAGS.msg, { kind: "reply", ok: 1 }), /msg.ok must be a boolean/],
    [
      "error with extra field",
      wire(FRAME_TAGS.msg, { kind: "reply", error: { code: "a", message: "b", c: 1 } }),
      /msg.error has unknown field/,
    ],
    [
      "long engine name",
      wire(FRAME_TAGS.msg, { kind: "cast", to: "e".repeat(129) }),
      /msg.to longer than 128/,
    ],
    [
      "date in body",
      wire(FRAME_TAGS.msg, { kind: "cast", body: new Date(0) }),
      /msg.body holds a non-plain object/,
    ],
    [
      "deep body",
      wire(FRAME_TAGS.msg, { kind: "cast", body: nest(MAX_BODY_DEPTH + 2) }),
      /nested deeper than 32/,
    ],
    [
      "hops 0",
      wire(FRAME_TAGS.gossip, { id: sig(16), origin: id.id, seq: 1, topic: "t", hops: 0, body: 1 }),
      /gossip.hops must be at least 1/,
    ],
    [
      "hops 65",
      wire(FRAME_TAGS.gossip, {
        id: sig(16),
        origin: id.id,
        seq: 1,
        topic: "t",
        hops: 65,
        body: 1,
      }),
      /gossip.hops must be an integer in \[0, 64\]/,
    ],
    [
      "short id",
      wire(FRAME_TAGS.gossip, { id: sig(15), origin: id.id, seq: 1, topic: "t", hops: 1, body: 1 }),
      /gossip.id must be 16 bytes/,
    ],
    [
      "long topic",
      wire(FRAME_TAGS.gossip, {
        id: sig(16),
        origin: id.id,
        seq: 1,
        topic: "t".repeat(129),
        hops: 1,
        body: 1,
      }),
      /gossip.topic longer than 128/,
    ],
    [
      "map of a prototype key",
      Uint8Array.of(FRAME_TAGS.ping, ...Buffer.from("81a95f5f70726f746f5f5f01", "hex")),
      /ping/,
    ],
  ];

  it.each(cases)("decodeFrame() refuses %s", (_name, bytes, expected) => {
    expect(decodeError(bytes)).toMatch(expected);
  });

  it("decodeFrame() survives 10,000 random and mutated frames with only P2PErrors", () => {
    let seed = 1;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const samples = valid.map((f) => encodeFrame(f));
    for (let i = 0; i < 10_000; i += 1) {
      const base = samples[i % samples.length] as Uint8Array;
      const bytes =
        i % 2 === 0
          ? Uint8Array.from(base)
          : Uint8Array.from({ length: next() % 300 }, () => next() & 0xff);
      for (let m = 0; m < 1 + (next() % 4); m += 1)
        bytes[next() % Math.max(1, bytes.length)] = next() & 0xff;
      expect(decodeError(bytes)).toMatch(/^(ok|too-large|malformed|invalid|unknown)/);
    }
  });
});

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}
