import type { IncomingMessage } from "node:http";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { MAX_WIRE_BYTES } from "./frameLimits";
import { P2PError } from "./p2pError";
import { parseAddress } from "./parseAddress";
import type { Connection, ConnectionHandlers, Listener, Transport } from "./transport";

export interface WsTransportOptions {
  /**
   * Send unmasked frames from the dialing side. RFC 6455 masking protects proxies from
   * payloads a browser script controls; between two of our nodes on loopback or a private
   * link there is no such proxy, and skipping it saves an XOR pass over every byte.
   * Off by default: only the operator knows whether the link is private.
   */
  readonly unmasked?: boolean;
  /** Largest message accepted; bigger ones close the connection with 1009. */
  readonly maxPayload?: number;
  /** Bound on the TCP connect plus the HTTP upgrade of a dial. */
  readonly dialTimeoutMs?: number;
}

const DEFAULT_DIAL_TIMEOUT_MS = 10_000;
const LISTENER_CLOSE_GRACE_MS = 2_000;
/** Leaves the mask all zeros, which ws detects and then skips the XOR entirely. */
const zeroMask = (): void => {};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** The close code ws attached to a protocol error (its private `status-code` symbol). */
function statusCodeOf(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find(
    (symbol) => symbol.description === "status-code",
  );
  const value = key === undefined ? undefined : (err as unknown as Record<symbol, unknown>)[key];
  return typeof value === "number" ? value : undefined;
}

function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Adapts a ws socket to Connection; reports our own code and reason when we closed first. */
class WsConnection implements Connection {
  private handlers: ConnectionHandlers = {};
  private closedByUs: { code: number; reason: string } | undefined;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string,
  ) {
    socket.on("open", () => this.handlers.onOpen?.());
    socket.on("message", (data: RawData) => {
      if (!this.closed) this.handlers.onMessage?.(toBytes(data));
    });
    // Errors are always followed by "close", which reports them. When ws itself refused
    // a frame (too big, bad opcode) it sent that code to the peer but will report 1006
    // here, as it stops reading before the echo: report the code it sent instead.
    socket.on("error", (err: Error) => {
      const code = statusCodeOf(err);
      if (code !== undefined && this.closedByUs === undefined)
        this.closedByUs = { code, reason: "" };
    });
    socket.on("close", (code: number, reason: Buffer) => {
      if (this.closed) return;
      this.closed = true;
      const mine = this.closedByUs;
      this.handlers.onClose?.(mine?.code ?? code, mine?.reason ?? reason.toString("utf8"));
    });
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(data: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(data, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.closedByUs !== undefined || this.closed) return;
    this.closedByUs = { code, reason };
    // Before the handshake ws can only abort; that still ends in one "close" event.
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close(code, reason);
  }

  setHandlers(handlers: ConnectionHandlers): void {
    this.handlers = handlers;
  }
}

/** The production transport: binary websockets without compression. */
export class WsTransport implements Transport {
  private readonly maxPayload: number;
  private readonly dialTimeoutMs: number;
  private readonly unmasked: boolean;

  constructor(options: WsTransportOptions = {}) {
    this.maxPayload = options.maxPayload ?? MAX_WIRE_BYTES;
    this.dialTimeoutMs = options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
    this.unmasked = options.unmasked ?? false;
  }

  async listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener> {
    const { host, port } = parseAddress(address);
    const server = new WebSocketServer({
      host,
      port,
      // Compression would let a small frame inflate past our limits and costs CPU per byte.
      perMessageDeflate: false,
      maxPayload: this.maxPayload,
    });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", (cause) =>
        reject(
          new P2PError(
            { code: "P2P_LISTEN_FAILED", address },
            `Cannot listen on ${address}: ${cause.message}`,
            {
              cause,
            },
          ),
        ),
      );
    });
    server.on("error", () => {});
    server.on("connection", (socket: WebSocket, request: IncomingMessage) => {
      const remote = formatAddress(
        request.socket.remoteAddress ?? "unknown",
        request.socket.remotePort ?? 0,
      );
      onConnection(new WsConnection(socket, remote));
    });
    const bound = server.address();
    const actual =
      typeof bound === "object" && bound !== null ? formatAddress(host, bound.port) : address;
    return {
      address: actual,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // The HTTP server only reports closed once every connection has ended; one
          // that ignores the closing handshake is cut after a grace period.
          setTimeout(() => {
            for (const client of server.clients) client.terminate();
          }, LISTENER_CLOSE_GRACE_MS).unref();
        }),
    };
  }

  dial(address: string): Connection {
    const { host, port } = parseAddress(address);
    const socket = new WebSocket(`ws://${formatAddress(host, port)}/`, {
      perMessageDeflate: false,
      maxPayload: this.maxPayload,
      handshakeTimeout: this.dialTimeoutMs,
      ...(this.unmasked ? { generateMask: zeroMask } : {}),
    });
    return new WsConnection(socket, address);
  }
}
