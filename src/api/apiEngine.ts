import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { API } from "../engines";
import { type EngineModule, type FilterSpec, isBrokerDelivery } from "../runtime";
import type { ApiDeps } from "./apiDeps";
import { ApiError } from "./apiError";
import { authorize, EVENTS_PROTOCOL, errorReply, handleHttp, sendReply } from "./handleHttp";
import { parseEventFilter } from "./parseEventFilter";
import { refusalLog } from "./refusalLog";
import { screenRequest } from "./screenRequest";

/** A stream client that lets this much pile up unsent is too slow and is dropped. */
export const MAX_STREAM_BUFFER_BYTES = 4 * 1024 * 1024;

export interface ApiArgs {
  host: string;
  port: number;
  deps: ApiDeps;
}

interface Stream {
  ws: WebSocket;
  chain: FilterSpec[];
}

interface ApiState {
  deps: ApiDeps;
  /** The address the API listens on: a Host header naming it is accepted. */
  host: string;
  logRefusal: (err: ApiError, what: string) => void;
  server: Server;
  wss: WebSocketServer;
  streams: Map<string, Stream>;
  nextTag: number;
}

type ApiInfo =
  | { type: "http"; req: IncomingMessage; res: ServerResponse }
  | { type: "upgrade"; req: IncomingMessage; socket: Duplex; head: Buffer }
  | { type: "wsOpen"; ws: WebSocket; chain: FilterSpec[] }
  | { type: "wsClosed"; tag: string };

/**
 * The local control API. The HTTP server is a resource of this engine: requests and
 * socket events arrive as info messages, and each request is served concurrently so a
 * long wait (`tx status --wait`) never holds up the others.
 */
export const apiEngine: EngineModule<ApiState, ApiArgs> = {
  name: API,
  version: "1.0.0",
  async init({ host, port, deps }, ctx) {
    const server = createServer((req, res) => ctx.info({ type: "http", req, res }));
    server.on("upgrade", (req, socket, head) => ctx.info({ type: "upgrade", req, socket, head }));
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: 64 * 1024,
      // A page that offered its token as a subprotocol gets the events one back (a
      // browser closes a socket whose server picks none of what it offered).
      handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EADDRINUSE") {
          reject(
            new ApiError(
              { code: "API_PORT_IN_USE", host, port },
              `Cannot start the control API: ${host}:${port} is in use (another node? set api.port or --api-port)`,
            ),
          );
        } else reject(err);
      });
      server.listen(port, host, () => resolve());
    });
    ctx.log.info("control API listening", {
      host,
      port: (server.address() as { port: number }).port,
    });
    return {
      deps,
      host,
      logRefusal: refusalLog(ctx.log),
      server,
      wss,
      streams: new Map(),
      nextTag: 1,
    };
  },
  handleInfo(msg, state, ctx) {
    if (isBrokerDelivery(msg)) {
      const stream = msg.tag === undefined ? undefined : state.streams.get(msg.tag);
      if (!stream) return state;
      if (stream.ws.bufferedAmount > MAX_STREAM_BUFFER_BYTES) {
        stream.ws.close(1013, "event stream client too slow");
        return state;
      }
      stream.ws.send(JSON.stringify(msg.event));
      return state;
    }
    const m = msg as ApiInfo;
    switch (m.type) {
      case "http": {
        const refused = screenRequest(m.req.headers, state.host);
        if (refused === undefined) void handleHttp(m.req, m.res, state.deps);
        else {
          state.logRefusal(refused, "a request");
          sendReply(m.res, errorReply(refused));
        }
        return state;
      }
      case "upgrade": {
        try {
          const refused = screenRequest(m.req.headers, state.host);
          if (refused !== undefined) {
            state.logRefusal(refused, "an event stream");
            throw refused;
          }
          authorize(m.req, state.deps);
          const url = new URL(m.req.url ?? "/", "http://localhost");
          if (url.pathname !== "/v1/events") {
            throw new ApiError(
              { code: "API_NOT_FOUND", path: url.pathname },
              `Cannot open a stream at ${url.pathname}`,
            );
          }
          const chain = parseEventFilter(url);
          state.wss.handleUpgrade(m.req, m.socket, m.head, (ws) =>
            ctx.info({ type: "wsOpen", ws, chain }),
          );
        } catch (err) {
          const { status, body } = errorReply(err);
          const text = JSON.stringify(body);
          m.socket.end(
            `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
          );
        }
        return state;
      }
      case "wsOpen": {
        const tag = String(state.nextTag++);
        state.streams.set(tag, { ws: m.ws, chain: m.chain });
        m.ws.on("close", () => ctx.info({ type: "wsClosed", tag }));
        m.ws.on("error", () => m.ws.terminate());
        // Clients never need to send; anything they do send is ignored.
        state.deps.broker.subscribe(m.chain, { address: { engine: ctx.name }, tag }).then(
          () => m.ws.send(JSON.stringify({ topic: "stream.subscribed", body: { chain: m.chain } })),
          (err: unknown) => m.ws.close(1008, String((err as Error).message).slice(0, 120)),
        );
        return { ...state };
      }
      case "wsClosed": {
        const stream = state.streams.get(m.tag);
        state.streams.delete(m.tag);
        if (stream) {
          state.deps.broker
            .unsubscribe(stream.chain, { address: { engine: ctx.name }, tag: m.tag })
            .catch(() => {});
        }
        return state;
      }
      default:
        return state;
    }
  },
  async terminate(_reason, state) {
    for (const s of state.streams.values()) s.ws.terminate();
    state.wss.close();
    state.server.closeAllConnections();
    await new Promise<void>((resolve) => state.server.close(() => resolve()));
  },
};
