import { NodeError } from "../errors";
import type { DirectMessage } from "./directMessage";
import { DEFAULT_CALL_TIMEOUT_MS } from "./engine";
import type { Address, Mailer } from "./types";

export type RouterErrorType =
  | { code: "PEER_UNREACHABLE"; node: string }
  | { code: "REMOTE_CALL_TIMEOUT"; node: string; engine: string; timeoutMs: number }
  | { code: "REMOTE_ERROR"; node: string; engine: string; remoteCode: string }
  | { code: "REMOTE_ENGINE_FORBIDDEN"; engine: string };

export class RouterError extends NodeError<RouterErrorType> {}

/** Sends a direct message to a peer; false when the peer is not connected or congested. */
export interface RemoteLink {
  sendDirect(peerId: string, msg: DirectMessage): boolean;
}

/** Which engines other nodes may reach: calls are answered, casts and sends are one-way. */
export interface RemoteAccess {
  callable: ReadonlySet<string>;
  castable: ReadonlySet<string>;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * Every engine's mailer: a message to the local node goes to the registry, one to another
 * node goes out through the p2p link, and the sender never has to know which. Incoming
 * messages from peers come back in through `deliver`, limited to the engines that accept
 * remote traffic.
 */
export class Router implements Mailer {
  private link: RemoteLink | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private nextCallId = 1;
  private dropped = 0;

  constructor(
    private readonly local: Mailer,
    readonly selfId: string,
    private readonly access: RemoteAccess,
  ) {}

  attach(link: RemoteLink): void {
    this.link = link;
  }

  /** The link went away: calls waiting for a peer's reply fail now rather than at their timeout. */
  detach(): void {
    this.link = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(
        new RouterError(
          { code: "PEER_UNREACHABLE", node: "" },
          "Cannot finish remote call: the p2p transport stopped",
        ),
      );
      this.pending.delete(id);
    }
  }

  get droppedMessages(): number {
    return this.dropped;
  }

  isLocal(to: Address): boolean {
    return to.node === undefined || to.node === this.selfId;
  }

  call(to: Address, msg: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<unknown> {
    if (this.isLocal(to)) return this.local.call(to, msg, timeoutMs);
    const node = to.node as string;
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(callId);
        reject(
          new RouterError(
            { code: "REMOTE_CALL_TIMEOUT", node, engine: to.engine, timeoutMs },
            `Cannot call ${to.engine} on ${node}: no reply within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(callId, { resolve, reject, timer });
      if (!this.link?.sendDirect(node, { kind: "call", to: to.engine, callId, body: msg })) {
        clearTimeout(timer);
        this.pending.delete(callId);
        reject(unreachable(node));
      }
    });
  }

  cast(to: Address, msg: unknown): void {
    if (this.isLocal(to)) this.local.cast(to, msg);
    else this.sendOrDrop(to, { kind: "cast", to: to.engine, body: msg });
  }

  send(to: Address, msg: unknown): void {
    if (this.isLocal(to)) this.local.send(to, msg);
    else this.sendOrDrop(to, { kind: "send", to: to.engine, body: msg });
  }

  /** A direct message from an authenticated peer. */
  deliver(from: string, msg: DirectMessage): void {
    if (msg.kind === "reply") {
      const p = msg.callId === undefined ? undefined : this.pending.get(msg.callId);
      if (!p) return;
      this.pending.delete(msg.callId as number);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.body);
      else {
        const e = msg.error ?? { code: "REMOTE_ERROR", message: "remote call failed" };
        p.reject(
          new RouterError(
            { code: "REMOTE_ERROR", node: from, engine: "", remoteCode: e.code },
            e.message,
          ),
        );
      }
      return;
    }
    const engine = msg.to ?? "";
    const allowed = msg.kind === "call" ? this.access.callable : this.access.castable;
    // Access is by engine kind: `consensus@chain-1` is as reachable as `consensus`.
    if (!allowed.has(engine.split("@")[0] as string)) {
      if (msg.kind === "call") {
        this.reply(from, msg.callId, undefined, {
          code: "REMOTE_ENGINE_FORBIDDEN",
          message: `Cannot call ${engine} from another node: it does not accept remote calls`,
        });
      }
      this.dropped++;
      return;
    }
    if (msg.kind === "cast") this.local.cast({ engine }, msg.body);
    else if (msg.kind === "send") this.local.send({ engine }, msg.body);
    else {
      this.local.call({ engine }, msg.body).then(
        (value) => this.reply(from, msg.callId, value),
        (err: unknown) =>
          this.reply(from, msg.callId, undefined, {
            code: err instanceof NodeError ? err.code : "INTERNAL",
            message: err instanceof Error ? err.message : String(err),
          }),
      );
    }
  }

  private reply(
    to: string,
    callId: number | undefined,
    body: unknown,
    error?: { code: string; message: string },
  ): void {
    if (callId === undefined) return;
    const msg: DirectMessage = error
      ? { kind: "reply", callId, ok: false, error }
      : { kind: "reply", callId, ok: true, body };
    if (!this.link?.sendDirect(to, msg)) this.dropped++;
  }

  private sendOrDrop(to: Address, msg: DirectMessage): void {
    if (!this.link?.sendDirect(to.node as string, msg)) this.dropped++;
  }
}

function unreachable(node: string): RouterError {
  return new RouterError(
    { code: "PEER_UNREACHABLE", node },
    `Cannot reach node ${node}: not connected (or congested)`,
  );
}
