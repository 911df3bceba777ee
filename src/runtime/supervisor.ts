import { errorMessage } from "./engine";
import { ExitSignal } from "./exitSignal";
import { RestartIntensity } from "./restartIntensity";
import { RuntimeError } from "./runtimeError";
import { type Child, type ExitReason, isAbnormal, type RuntimeLogger, silentLogger } from "./types";

export type Strategy = "one_for_one" | "one_for_all";
/** permanent: always restarted; transient: only after a crash; temporary: never. */
export type RestartType = "permanent" | "transient" | "temporary";

export interface ChildSpec {
  id: string;
  start: () => Promise<Child>;
  restart?: RestartType;
}

export interface SupervisorOptions {
  name: string;
  strategy: Strategy;
  /** More than `maxRestarts` restarts within `periodMs` and the supervisor fails upward. */
  maxRestarts?: number;
  periodMs?: number;
  children?: ChildSpec[];
  log?: RuntimeLogger;
  /** Told of every restart, so a node can count them across its whole tree. */
  onRestart?: (info: { supervisor: string; child: string }) => void;
}

interface Running {
  spec: ChildSpec;
  child: Child | undefined;
  unlink: () => void;
}

/**
 * OTP-style supervisor. Children start in order and stop in reverse order. Exits are
 * handled one at a time on an internal chain, so a burst of crashes cannot interleave
 * with a restart in progress.
 */
export class Supervisor implements Child {
  readonly name: string;
  readonly strategy: Strategy;
  private readonly entries: Running[] = [];
  private readonly intensity: RestartIntensity;
  private readonly log: RuntimeLogger;
  private readonly onRestart: SupervisorOptions["onRestart"];
  private readonly exitSignal = new ExitSignal();
  private chain: Promise<void> = Promise.resolve();
  private closing = false;
  private nextDynamicId = 1;
  private restartCount = 0;

  private constructor(opts: SupervisorOptions) {
    this.name = opts.name;
    this.strategy = opts.strategy;
    this.intensity = new RestartIntensity(opts.maxRestarts ?? 3, opts.periodMs ?? 5000);
    this.log = opts.log ?? silentLogger;
    this.onRestart = opts.onRestart;
  }

  /** Starts every child in order; if one fails, stops those already started and rejects. */
  static async start(opts: SupervisorOptions): Promise<Supervisor> {
    const sup = new Supervisor(opts);
    for (const spec of opts.children ?? []) {
      try {
        await sup.add(spec);
      } catch (err) {
        await sup.stopAll();
        sup.closing = true;
        sup.exitSignal.fire({ error: err }, sup.log, { supervisor: sup.name });
        throw new RuntimeError(
          { code: "CHILD_START_FAILED", supervisor: sup.name, child: spec.id },
          `Cannot start supervisor ${sup.name}: child ${spec.id} failed: ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }
    return sup;
  }

  /** Total restarts performed; lets callers observe recovery. */
  get restarts(): number {
    return this.restartCount;
  }

  get exit(): ExitReason | undefined {
    return this.exitSignal.reason;
  }

  /** Current child instance for `id` (changes after each restart). */
  which(id: string): Child | undefined {
    return this.entries.find((e) => e.spec.id === id)?.child;
  }

  childIds(): string[] {
    return this.entries.map((e) => e.spec.id);
  }

  /** Adds a child at run time (a dynamic supervisor's only way of getting children). */
  startChild(spec: Omit<ChildSpec, "id"> & { id?: string }): Promise<Child> {
    const full: ChildSpec = { ...spec, id: spec.id ?? `${this.name}#${this.nextDynamicId++}` };
    return this.serial(async () => {
      if (this.closing) {
        throw new RuntimeError(
          { code: "CHILD_START_FAILED", supervisor: this.name, child: full.id },
          `Cannot start child ${full.id}: supervisor ${this.name} is stopping`,
        );
      }
      const entry = await this.add(full);
      return entry.child as Child;
    });
  }

  /** Stops a child and forgets it, whatever its restart type. */
  terminateChild(id: string): Promise<void> {
    return this.serial(async () => {
      const idx = this.entries.findIndex((e) => e.spec.id === id);
      if (idx < 0) return;
      const [entry] = this.entries.splice(idx, 1);
      if (entry) await this.stopEntry(entry, "shutdown");
    });
  }

  stop(reason: ExitReason = "shutdown"): Promise<void> {
    if (this.closing) return this.chain;
    this.closing = true;
    return this.serial(async () => {
      await this.stopAll();
      this.finish(reason);
    });
  }

  onExit(listener: (reason: ExitReason) => void): () => void {
    return this.exitSignal.on(listener);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.chain.then(op);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async add(spec: ChildSpec): Promise<Running> {
    const entry: Running = { spec, child: undefined, unlink: () => {} };
    await this.launch(entry);
    this.entries.push(entry);
    return entry;
  }

  private async launch(entry: Running): Promise<void> {
    const child = await entry.spec.start();
    entry.child = child;
    entry.unlink = child.onExit((reason) => {
      void this.serial(() => this.childExited(entry, child, reason));
    });
  }

  private async childExited(entry: Running, child: Child, reason: ExitReason): Promise<void> {
    // Exits of children we stopped ourselves, or of an instance already replaced, are ours.
    if (this.closing || entry.child !== child || !this.entries.includes(entry)) return;
    entry.child = undefined;
    const restart = entry.spec.restart ?? "permanent";
    const wanted = restart === "permanent" || (restart === "transient" && isAbnormal(reason));
    if (isAbnormal(reason)) {
      this.log.warn("child crashed", {
        supervisor: this.name,
        child: entry.spec.id,
        err: reason.error,
      });
    }
    if (!wanted) {
      this.entries.splice(this.entries.indexOf(entry), 1);
      return;
    }
    await this.restart(entry);
  }

  private async restart(failed: Running): Promise<void> {
    for (;;) {
      if (!this.intensity.allow(Date.now())) {
        await this.failUpward();
        return;
      }
      this.restartCount++;
      this.onRestart?.({ supervisor: this.name, child: failed.spec.id });
      try {
        if (this.strategy === "one_for_one") {
          await this.launch(failed);
        } else {
          await this.restartAll();
        }
        return;
      } catch (err) {
        this.log.warn("child restart failed", {
          supervisor: this.name,
          child: failed.spec.id,
          err,
        });
      }
    }
  }

  private async restartAll(): Promise<void> {
    await this.stopAll(true);
    // Temporary children are never restarted, not even as siblings of a crash.
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if ((this.entries[i]?.spec.restart ?? "permanent") === "temporary") this.entries.splice(i, 1);
    }
    for (const entry of this.entries) await this.launch(entry);
  }

  private async failUpward(): Promise<void> {
    const error = new RuntimeError(
      {
        code: "SUPERVISOR_INTENSITY",
        supervisor: this.name,
        maxRestarts: this.intensity.maxRestarts,
        periodMs: this.intensity.periodMs,
      },
      `Supervisor ${this.name} gave up: more than ${this.intensity.maxRestarts} restarts in ${this.intensity.periodMs} ms`,
    );
    this.log.error("supervisor reached restart intensity", { supervisor: this.name });
    this.closing = true;
    await this.stopAll();
    this.finish({ error });
  }

  /** Stops children in reverse start order. `keep` leaves them listed for a restart. */
  private async stopAll(keep = false): Promise<void> {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry) await this.stopEntry(entry, "shutdown");
    }
    if (!keep) this.entries.length = 0;
  }

  private async stopEntry(entry: Running, reason: ExitReason): Promise<void> {
    const child = entry.child;
    entry.unlink();
    entry.unlink = () => {};
    entry.child = undefined;
    if (!child) return;
    try {
      await child.stop(reason);
    } catch (err) {
      this.log.warn("child stop failed", { supervisor: this.name, child: entry.spec.id, err });
    }
  }

  private finish(reason: ExitReason): void {
    this.exitSignal.fire(reason, this.log, { supervisor: this.name });
  }
}
