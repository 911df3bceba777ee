import { readFile } from "node:fs/promises";
import type { WebSocket } from "ws";
import { loadConfig, type NodeOptions, tokenPath } from "../../config";
import { cliError } from "../cliError";
import type { GlobalOptions } from "../commandSpec";
import { EXIT, type ExitCode } from "../exitCodes";
import type { Io } from "../io";
import { type HttpReply, httpRequest } from "./httpRequest";

/** Loads the effective config the same way `anode start` does, from the global flags. */
export async function loadCliConfig(opts: GlobalOptions, io: Io) {
  return loadConfig({
    flags: {
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
      ...(opts.apiPort === undefined ? {} : { api: { port: opts.apiPort } }),
    },
    env: io.env,
    configFile: opts.config,
    system: opts.system,
  });
}

/** Talks to the running node through its local control API. */
export class NodeClient {
  constructor(
    readonly base: string,
    private readonly token: string,
    readonly options: NodeOptions,
    /** Every request then addresses this chain's engines (`?chain=`). */
    readonly chain?: string,
  ) {}

  static async connect(opts: GlobalOptions, io: Io): Promise<NodeClient> {
    const { options } = await loadCliConfig(opts, io);
    let token: string;
    try {
      token = (await readFile(tokenPath(options.dataDir), "utf8")).trim();
    } catch (err) {
      throw cliError(
        EXIT.UNAUTHORIZED,
        "CLI_NO_TOKEN",
        `Cannot reach the node: no API token at ${tokenPath(options.dataDir)} (start a node with this data directory first: anode start)`,
        err,
      );
    }
    const host = options.api.host.includes(":") ? `[${options.api.host}]` : options.api.host;
    return new NodeClient(`http://${host}:${options.api.port}`, token, options, opts.chain);
  }

  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send<T>(
      method,
      path,
      "application/json",
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  /** Sends raw bytes (an artifact upload) and reads a JSON reply. */
  requestBytes<T = Record<string, unknown>>(
    method: string,
    path: string,
    bytes: Uint8Array,
  ): Promise<T> {
    return this.send<T>(method, path, "application/octet-stream", bytes);
  }

  private async send<T>(
    method: string,
    path: string,
    contentType: string,
    body: string | Uint8Array | undefined,
  ): Promise<T> {
    let res: HttpReply;
    try {
      const scoped =
        this.chain === undefined
          ? path
          : `${path}${path.includes("?") ? "&" : "?"}chain=${encodeURIComponent(this.chain)}`;
      res = await httpRequest(this.base + scoped, {
        method,
        headers: { authorization: `Bearer ${this.token}`, "content-type": contentType },
        ...(body === undefined ? {} : { body }),
      });
    } catch (err) {
      throw cliError(
        EXIT.UNAVAILABLE,
        "CLI_UNREACHABLE",
        `Cannot reach the node at ${this.base}: ${causeOf(err)} (is it running? anode start)`,
        err,
      );
    }
    const { text } = res;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw cliError(
        EXIT.FAILURE,
        "CLI_BAD_REPLY",
        `Cannot read the node's reply (HTTP ${res.status}): ${text.slice(0, 200)}`,
      );
    }
    // Only an error object with a code is a failure report; other fields may be named "error".
    const raw = (json as { error?: unknown }).error;
    const error =
      typeof raw === "object" &&
      raw !== null &&
      typeof (raw as { code?: unknown }).code === "string"
        ? (raw as { code: string; message: string })
        : undefined;
    if (res.status < 200 || res.status > 299 || error) {
      const e = error ?? { code: `HTTP_${res.status}`, message: `HTTP ${res.status}` };
      throw cliError(exitForStatus(res.status), e.code, e.message);
    }
    return json as T;
  }

  /**
   * Opens the event stream; the caller owns the socket. ws (and node:zlib behind it) is
   * loaded here, not with the client: every other command talks plain HTTP.
   */
  async events(query: URLSearchParams): Promise<WebSocket> {
    const { WebSocket } = await import("ws");
    const url = `${this.base.replace(/^http/, "ws")}/v1/events?${query.toString()}`;
    return new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` } });
  }
}

function exitForStatus(status: number): ExitCode {
  if (status === 401) return EXIT.UNAUTHORIZED;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 400 || status === 413) return EXIT.USAGE;
  if (status === 503) return EXIT.UNAVAILABLE;
  if (status === 504) return EXIT.TIMEOUT;
  return EXIT.FAILURE;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
