import { randomBytes } from "node:crypto";
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** One websocket frame as it crossed the proxy. */
export interface WsFrame {
  readonly opcode: number;
  /** The whole frame, header included, exactly as on the wire. */
  readonly bytes: Buffer;
  readonly payloadOffset: number;
  readonly payloadLength: number;
}

/** Which way a frame travels: from the dialing node to the listening one, or back. */
export type Way = "up" | "down";

/**
 * What the proxy does with a data frame after each connection's first `skip` data frames
 * one way: pass it, or return the buffers to send in its place (none drops it).
 */
export type Tamper = (frame: WsFrame, send: (bytes: Buffer) => void) => void;

export interface TamperProxy {
  readonly port: number;
  /** Every byte that crossed, both ways, all connections, before any tampering. */
  captured(): Buffer;
  /**
   * The payload of every websocket frame that crossed, unmasked: what anyone on the path
   * reads, since a client's mask travels in the frame's own header.
   */
  payloads(): Buffer;
  /** Close codes each way, in order (a close frame's first two payload bytes). */
  readonly closes: Record<Way, number[]>;
  /** Connections accepted so far. */
  connections(): number;
  /**
   * Applies `tamper` once, to the first data frame going `way` that `select` picks
   * (binary, past the hellos and auths). Resolves when it has been applied.
   */
  once(way: Way, select: (frame: WsFrame) => boolean, tamper: Tamper): Promise<void>;
  close(): Promise<void>;
}

const OPCODE_BINARY = 2;
const OPCODE_CLOSE = 8;
/** Each side's hello and auth: what the proxy never touches. */
const HANDSHAKE_FRAMES = 2;

/** A masked binary frame, as a websocket client must send it. */
export function maskedBinaryFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  if (length > 0xffff) throw new RangeError("frame too large for this helper");
  const mask = randomBytes(4);
  const header =
    length < 126
      ? Buffer.from([0x82, 0x80 | length])
      : Buffer.from([0x82, 0x80 | 126, length >> 8, length & 0xff]);
  const body = Buffer.from(payload).map((byte, i) => byte ^ (mask[i % 4] as number));
  return Buffer.concat([header, mask, body]);
}

function parseFrame(buf: Buffer): WsFrame | undefined {
  if (buf.length < 2) return undefined;
  const b1 = buf[1] as number;
  const len7 = b1 & 0x7f;
  let offset = 2;
  let length = len7;
  if (len7 === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (len7 === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  if ((b1 & 0x80) !== 0) offset += 4;
  if (buf.length < offset + length) return undefined;
  return {
    opcode: (buf[0] as number) & 0x0f,
    bytes: Buffer.from(buf.subarray(0, offset + length)),
    payloadOffset: offset,
    payloadLength: length,
  };
}

/** A frame's payload as its receiver reads it. */
function payloadOf(frame: WsFrame): Buffer {
  const { bytes, payloadOffset, payloadLength } = frame;
  const payload = Buffer.from(bytes.subarray(payloadOffset, payloadOffset + payloadLength));
  if (((bytes[1] as number) & 0x80) !== 0) {
    const mask = bytes.subarray(payloadOffset - 4, payloadOffset);
    for (let i = 0; i < payload.length; i += 1) {
      payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
    }
  }
  return payload;
}

function closeCode(frame: WsFrame): number | undefined {
  if (frame.payloadLength < 2) return undefined;
  return payloadOf(frame).readUInt16BE(0);
}

/**
 * An on-path TCP proxy between two nodes on loopback: it forwards each websocket frame
 * whole (after the HTTP upgrade), records every byte, and can flip, inject or replay
 * frames one at a time, as an attacker on the path could.
 */
export async function startTamperProxy(upstreamPort: number): Promise<TamperProxy> {
  const chunks: Buffer[] = [];
  const payloads: Buffer[] = [];
  const closes: Record<Way, number[]> = { up: [], down: [] };
  const sockets = new Set<Socket>();
  const armed: Array<{
    way: Way;
    select: (f: WsFrame) => boolean;
    tamper: Tamper;
    done: () => void;
  }> = [];
  let accepted = 0;

  /** One direction of one connection: upgrade text first, then whole frames. */
  const pipe = (from: Socket, to: Socket, way: Way): void => {
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let dataFrames = 0;
    from.on("data", (chunk: Buffer) => {
      chunks.push(Buffer.from(chunk));
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        to.write(buf.subarray(0, end + 4));
        buf = buf.subarray(end + 4);
        upgraded = true;
      }
      for (;;) {
        const frame = parseFrame(buf);
        if (frame === undefined) return;
        buf = buf.subarray(frame.bytes.length);
        payloads.push(payloadOf(frame));
        if (frame.opcode === OPCODE_CLOSE) {
          const code = closeCode(frame);
          if (code !== undefined) closes[way].push(code);
        }
        const data = frame.opcode === OPCODE_BINARY;
        if (data) dataFrames += 1;
        const index =
          data && dataFrames > HANDSHAKE_FRAMES
            ? armed.findIndex((a) => a.way === way && a.select(frame))
            : -1;
        if (index < 0) {
          to.write(frame.bytes);
          continue;
        }
        const [hit] = armed.splice(index, 1);
        hit?.tamper(frame, (bytes) => to.write(bytes));
        hit?.done();
      }
    });
    from.on("end", () => to.end());
    from.on("error", () => to.destroy());
  };

  const server: Server = createServer((down) => {
    accepted += 1;
    const up = createConnection({ host: "127.0.0.1", port: upstreamPort });
    for (const s of [down, up]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    pipe(down, up, "up");
    pipe(up, down, "down");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    closes,
    captured: () => Buffer.concat(chunks),
    payloads: () => Buffer.concat(payloads),
    connections: () => accepted,
    once: (way, select, tamper) =>
      new Promise<void>((done) => armed.push({ way, select, tamper, done })),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
