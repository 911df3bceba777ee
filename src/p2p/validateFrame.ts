import { checkBody } from "./checkBody";
import type { DirectMessage } from "./contract";
import {
  CHALLENGE_BYTES,
  EPHEMERAL_KEY_BYTES,
  MAX_ADDRESS_LENGTH,
  MAX_CONTROL_IDS,
  MAX_CONTROL_TOPICS,
  MAX_ENGINE_NAME_LENGTH,
  MAX_ERROR_CODE_LENGTH,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_HOP_LIMIT,
  MAX_NETWORK_ID_LENGTH,
  MAX_PEX_RECORDS,
  MAX_TOPIC_LENGTH,
  MAX_VERSION_LENGTH,
  MESSAGE_ID_BYTES,
  NODE_ID_HEX_LENGTH,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
} from "./frameLimits";
import type { AddressRecord, ControlFrame, Frame, FrameType } from "./frameTypes";

/** Thrown inside validation only; decodeFrame turns it into a P2PError. */
export class SchemaViolation extends Error {}

type Fields = Record<string, unknown>;

const NODE_ID = /^[0-9a-f]{40}$/;
const DIRECT_KINDS: ReadonlySet<string> = new Set(["call", "cast", "send", "reply"]);

function fail(reason: string): never {
  throw new SchemaViolation(reason);
}

function object(value: unknown, what: string): Fields {
  if (
    typeof value !== "object" ||
    value === null ||
    Object.getPrototypeOf(value) !== Object.prototype
  ) {
    fail(`${what} must be a map`);
  }
  return value as Fields;
}

function exactFields(
  value: Fields,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  for (const key of required) if (!Object.hasOwn(value, key)) fail(`${what}.${key} is missing`);
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) fail(`${what} has unknown field`);
  }
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== "string") fail(`${what} must be a string`);
  if (value.length > max) fail(`${what} longer than ${max}`);
  return value;
}

function bytes(value: unknown, what: string, length: number): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(`${what} must be bytes`);
  if (value.length !== length) fail(`${what} must be ${length} bytes`);
  // A plain view rather than msgpackr's Buffer, without copying.
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function uint(value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
    fail(`${what} must be an integer in [0, ${max}]`);
  }
  return value;
}

function nodeId(value: unknown, what: string): string {
  const id = text(value, what, NODE_ID_HEX_LENGTH);
  if (!NODE_ID.test(id)) fail(`${what} must be a node id`);
  return id;
}

function body(value: unknown, what: string): unknown {
  const problem = checkBody(value);
  if (problem !== null) fail(`${what} ${problem}`);
  return value;
}

function direct(value: Fields): DirectMessage {
  exactFields(value, "msg", ["kind"], ["to", "from", "callId", "ok", "body", "error"]);
  const kind = text(value.kind, "msg.kind", 8);
  if (!DIRECT_KINDS.has(kind)) fail("msg.kind is unknown");
  const message: DirectMessage = { kind: kind as DirectMessage["kind"] };
  if (value.to !== undefined) message.to = text(value.to, "msg.to", MAX_ENGINE_NAME_LENGTH);
  if (value.from !== undefined) message.from = text(value.from, "msg.from", MAX_ENGINE_NAME_LENGTH);
  if (value.callId !== undefined) message.callId = uint(value.callId, "msg.callId");
  if (value.ok !== undefined) {
    if (typeof value.ok !== "boolean") fail("msg.ok must be a boolean");
    message.ok = value.ok;
  }
  if (Object.hasOwn(value, "body")) message.body = body(value.body, "msg.body");
  if (value.error !== undefined) {
    const error = object(value.error, "msg.error");
    exactFields(error, "msg.error", ["code", "message"]);
    message.error = {
      code: text(error.code, "msg.error.code", MAX_ERROR_CODE_LENGTH),
      message: text(error.message, "msg.error.message", MAX_ERROR_MESSAGE_LENGTH),
    };
  }
  return message;
}

function list(value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  if (value.length > max) fail(`${what} longer than ${max}`);
  return value;
}

function topics(value: unknown, what: string): string[] {
  return list(value, what, MAX_CONTROL_TOPICS).map((t) => text(t, `${what}[]`, MAX_TOPIC_LENGTH));
}

const CONTROL_TOPIC_PARTS = ["graft", "prune", "choke", "unchoke"] as const;

function control(value: Fields): ControlFrame {
  exactFields(value, "ctl", [], ["ihave", "iwant", ...CONTROL_TOPIC_PARTS]);
  const frame: ControlFrame = { type: "ctl" };
  let ids = 0;
  if (value.ihave !== undefined) {
    frame.ihave = list(value.ihave, "ctl.ihave", MAX_CONTROL_TOPICS).map((entry) => {
      const e = object(entry, "ctl.ihave[]");
      exactFields(e, "ctl.ihave[]", ["topic", "ids"]);
      const announced = list(e.ids, "ctl.ihave[].ids", MAX_CONTROL_IDS);
      ids += announced.length;
      return {
        topic: text(e.topic, "ctl.ihave[].topic", MAX_TOPIC_LENGTH),
        ids: announced.map((id) => bytes(id, "ctl.ihave[].ids[]", MESSAGE_ID_BYTES)),
      };
    });
  }
  if (value.iwant !== undefined) {
    frame.iwant = list(value.iwant, "ctl.iwant", MAX_CONTROL_IDS).map((id) =>
      bytes(id, "ctl.iwant[]", MESSAGE_ID_BYTES),
    );
  }
  if (ids > MAX_CONTROL_IDS) fail(`ctl.ihave announces more than ${MAX_CONTROL_IDS} ids`);
  for (const part of CONTROL_TOPIC_PARTS) {
    if (value[part] !== undefined) frame[part] = topics(value[part], `ctl.${part}`);
  }
  return frame;
}

function addressRecord(value: Fields): AddressRecord {
  exactFields(value, "pex.records[]", ["id", "publicKey", "address", "at", "signature"]);
  return {
    id: nodeId(value.id, "pex.records[].id"),
    publicKey: bytes(value.publicKey, "pex.records[].publicKey", PUBLIC_KEY_BYTES),
    address: text(value.address, "pex.records[].address", MAX_ADDRESS_LENGTH),
    at: uint(value.at, "pex.records[].at"),
    signature: bytes(value.signature, "pex.records[].signature", SIGNATURE_BYTES),
  };
}

/** The typed frame for a decoded payload, or a SchemaViolation naming the first bad field. */
export function validateFrame(type: FrameType, payload: unknown): Frame {
  const value = object(payload, type);
  switch (type) {
    case "hello":
      exactFields(
        value,
        "hello",
        ["network", "id", "publicKey", "protocol", "version", "challenge", "listen"],
        ["ephemeralKey"],
      );
      return {
        type,
        network: text(value.network, "hello.network", MAX_NETWORK_ID_LENGTH),
        id: nodeId(value.id, "hello.id"),
        publicKey: bytes(value.publicKey, "hello.publicKey", PUBLIC_KEY_BYTES),
        protocol: uint(value.protocol, "hello.protocol", 0xffff),
        version: text(value.version, "hello.version", MAX_VERSION_LENGTH),
        challenge: bytes(value.challenge, "hello.challenge", CHALLENGE_BYTES),
        listen: text(value.listen, "hello.listen", MAX_ADDRESS_LENGTH),
        ...(value.ephemeralKey === undefined
          ? {}
          : { ephemeralKey: bytes(value.ephemeralKey, "hello.ephemeralKey", EPHEMERAL_KEY_BYTES) }),
      };
    case "auth":
      exactFields(value, "auth", ["signature"]);
      return { type, signature: bytes(value.signature, "auth.signature", SIGNATURE_BYTES) };
    case "msg":
      return { type, message: direct(value) };
    case "gossip": {
      exactFields(value, "gossip", ["id", "origin", "seq", "topic", "hops", "body"]);
      const hops = uint(value.hops, "gossip.hops", MAX_HOP_LIMIT);
      if (hops < 1) fail("gossip.hops must be at least 1");
      return {
        type,
        id: bytes(value.id, "gossip.id", MESSAGE_ID_BYTES),
        origin: nodeId(value.origin, "gossip.origin"),
        seq: uint(value.seq, "gossip.seq"),
        topic: text(value.topic, "gossip.topic", MAX_TOPIC_LENGTH),
        hops,
        body: body(value.body, "gossip.body"),
      };
    }
    case "ping":
    case "pong":
      exactFields(value, type, ["nonce"]);
      return { type, nonce: uint(value.nonce, `${type}.nonce`) };
    case "ctl":
      return control(value);
    case "pex": {
      exactFields(value, "pex", ["want", "records"]);
      if (typeof value.want !== "boolean") fail("pex.want must be a boolean");
      const records = list(value.records, "pex.records", MAX_PEX_RECORDS).map((r) =>
        addressRecord(object(r, "pex.records[]")),
      );
      return { type, want: value.want, records };
    }
  }
}
