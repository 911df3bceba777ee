import { DEFAULT_CALL_TIMEOUT_MS, type Engine } from "./engine";
import type { Registry } from "./registry";
import { RuntimeError } from "./runtimeError";
import type { Address, Mailer } from "./types";

/**
 * The node's local engines by name. A node following several chains runs one set of
 * transaction engines per chain, each in its own registry: `mempool` is the first
 * chain's, `mempool@chain-1` another's (`mempool@<first chain>` also works).
 */
export class Directory implements Mailer {
  private readonly scopes = new Map<string, Registry>();

  constructor(
    private readonly node: Registry,
    private readonly primaryScope: string | undefined,
  ) {}

  addScope(chainId: string, registry: Registry): void {
    this.scopes.set(chainId, registry);
  }

  lookup(name: string): Engine<unknown> | undefined {
    const at = name.indexOf("@");
    if (at < 0) return this.node.lookup(name);
    const scope = name.slice(at + 1);
    const base = name.slice(0, at);
    if (scope === this.primaryScope) return this.node.lookup(base);
    return this.scopes.get(scope)?.lookup(base);
  }

  call(to: Address, msg: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<unknown> {
    const engine = this.lookup(to.engine);
    if (!engine) return Promise.reject(missing(to.engine));
    return engine.call(msg, timeoutMs);
  }

  cast(to: Address, msg: unknown): void {
    this.lookup(to.engine)?.cast(msg);
  }

  send(to: Address, msg: unknown): void {
    this.lookup(to.engine)?.info(msg);
  }
}

/** The mailer of one chain's engines: their own names first, then the node's. */
export class ScopedMailer implements Mailer {
  constructor(
    private readonly scope: Registry,
    private readonly outer: Mailer & { isLocal(to: Address): boolean },
  ) {}

  call(to: Address, msg: unknown, timeoutMs?: number): Promise<unknown> {
    const engine = this.own(to);
    return engine ? engine.call(msg, timeoutMs) : this.outer.call(to, msg, timeoutMs);
  }

  cast(to: Address, msg: unknown): void {
    const engine = this.own(to);
    if (engine) engine.cast(msg);
    else this.outer.cast(to, msg);
  }

  send(to: Address, msg: unknown): void {
    const engine = this.own(to);
    if (engine) engine.info(msg);
    else this.outer.send(to, msg);
  }

  private own(to: Address): Engine<unknown> | undefined {
    return this.outer.isLocal(to) ? this.scope.lookup(to.engine) : undefined;
  }
}

function missing(name: string): RuntimeError {
  return new RuntimeError(
    { code: "NO_SUCH_ENGINE", engine: name },
    `Cannot call ${name}: it is not running`,
  );
}
