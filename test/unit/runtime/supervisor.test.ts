import { describe, expect, it } from "vitest";
import {
  type Child,
  type ChildSpec,
  Engine,
  type EngineModule,
  type ExitReason,
  hasCodeOf,
  type RestartType,
  Supervisor,
  waitFor,
} from "./helpers";

const worker: EngineModule<{ id: string }, string> = {
  name: "worker",
  version: "1",
  init: (id) => ({ id }),
  handleCast(msg, state, ctx) {
    if (msg === "crash") throw new Error(`crash ${state.id}`);
    if (msg === "quit") ctx.stop("normal");
    return state;
  },
  handleCall: (_m, _f, s) => ({ reply: s.id, state: s }),
};

/** Child specs that count their starts so tests can see who was restarted. */
function specs(ids: string[], restart: RestartType = "permanent") {
  const starts: Record<string, number> = {};
  const list: ChildSpec[] = ids.map((id) => ({
    id,
    restart,
    start: async () => {
      starts[id] = (starts[id] ?? 0) + 1;
      return Engine.start(worker, id, { name: id });
    },
  }));
  return { starts, list };
}

function engineOf(sup: Supervisor, id: string): Engine<unknown> {
  return sup.which(id) as Engine<unknown>;
}

describe("Supervisor", () => {
  it("one_for_one restarts only the child that crashed", async () => {
    const { starts, list } = specs(["a", "b", "c"]);
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_one", children: list });
    const oldB = engineOf(sup, "b");
    const oldA = engineOf(sup, "a");
    oldB.cast("crash");
    await waitFor(() => starts.b === 2, 2000, "b restarted");
    expect(starts).toEqual({ a: 1, b: 2, c: 1 });
    expect(engineOf(sup, "a")).toBe(oldA);
    expect(engineOf(sup, "b")).not.toBe(oldB);
    expect(await engineOf(sup, "b").call("id")).toBe("b");
    await sup.stop();
  });

  it("one_for_all restarts every child when one crashes, stopping the others first", async () => {
    const { starts, list } = specs(["a", "b", "c"]);
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_all", children: list });
    const oldA = engineOf(sup, "a");
    engineOf(sup, "b").cast("crash");
    await waitFor(() => starts.c === 2, 2000, "all restarted");
    expect(starts).toEqual({ a: 2, b: 2, c: 2 });
    expect(oldA.status).toBe("exited");
    expect(sup.restarts).toBe(1);
    await sup.stop();
  });

  it("a permanent child is restarted even after a normal exit", async () => {
    const { starts, list } = specs(["p"], "permanent");
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_one", children: list });
    engineOf(sup, "p").cast("quit");
    await waitFor(() => starts.p === 2, 2000, "p restarted");
    await sup.stop();
  });

  it("a transient child is restarted after a crash but not after a normal exit", async () => {
    const { starts, list } = specs(["t"], "transient");
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_one", children: list });
    engineOf(sup, "t").cast("crash");
    await waitFor(() => starts.t === 2, 2000, "t restarted");
    const current = engineOf(sup, "t");
    current.cast("quit");
    await waitFor(() => current.status === "exited", 2000, "t quit");
    await new Promise((r) => setTimeout(r, 20));
    expect(starts.t).toBe(2);
    expect(sup.childIds()).toEqual([]);
    await sup.stop();
  });

  it("a temporary child is never restarted", async () => {
    const { starts, list } = specs(["x"], "temporary");
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_one", children: list });
    engineOf(sup, "x").cast("crash");
    await waitFor(() => sup.childIds().length === 0, 2000, "x removed");
    expect(starts.x).toBe(1);
    await sup.stop();
  });

  it("one_for_all does not bring back temporary siblings", async () => {
    const perm = specs(["p"]);
    const temp = specs(["t"], "temporary");
    const sup = await Supervisor.start({
      name: "s",
      strategy: "one_for_all",
      children: [...perm.list, ...temp.list],
    });
    engineOf(sup, "p").cast("crash");
    await waitFor(() => perm.starts.p === 2, 2000, "p restarted");
    expect(temp.starts.t).toBe(1);
    expect(sup.childIds()).toEqual(["p"]);
    await sup.stop();
  });

  it("fails upward with SUPERVISOR_INTENSITY past maxRestarts within periodMs", async () => {
    const { starts, list } = specs(["a"]);
    const sup = await Supervisor.start({
      name: "s",
      strategy: "one_for_one",
      maxRestarts: 2,
      periodMs: 10_000,
      children: list,
    });
    const exited = new Promise<ExitReason>((r) => sup.onExit(r));
    for (let i = 0; i < 3; i++) {
      const e = engineOf(sup, "a");
      e.cast("crash");
      await waitFor(() => e.status === "exited", 2000, "crash");
      await new Promise((r) => setTimeout(r, 5));
    }
    const reason = await exited;
    expect(typeof reason === "object" && hasCodeOf(reason.error, "SUPERVISOR_INTENSITY")).toBe(
      true,
    );
    expect(starts.a).toBe(3);
  });

  it("maxRestarts 0 makes the first crash fail the supervisor", async () => {
    const { list } = specs(["a", "b"]);
    const sup = await Supervisor.start({
      name: "tx",
      strategy: "one_for_all",
      maxRestarts: 0,
      children: list,
    });
    const exited = new Promise<ExitReason>((r) => sup.onExit(r));
    const b = engineOf(sup, "b");
    engineOf(sup, "a").cast("crash");
    const reason = await exited;
    expect(typeof reason).toBe("object");
    expect(b.status).toBe("exited");
  });

  it("restarts old crashes out of the window without failing", async () => {
    const { starts, list } = specs(["a"]);
    const sup = await Supervisor.start({
      name: "s",
      strategy: "one_for_one",
      maxRestarts: 1,
      periodMs: 30,
      children: list,
    });
    for (let i = 0; i < 3; i++) {
      engineOf(sup, "a").cast("crash");
      await waitFor(() => starts.a === i + 2, 2000, "restart");
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(sup.exit).toBeUndefined();
    await sup.stop();
  });

  it("a nested supervisor that gives up is restarted by its parent", async () => {
    const inner = specs(["w"]);
    let innerStarts = 0;
    const root = await Supervisor.start({
      name: "root",
      strategy: "one_for_one",
      children: [
        {
          id: "inner",
          start: () => {
            innerStarts++;
            return Supervisor.start({
              name: "inner",
              strategy: "one_for_one",
              maxRestarts: 0,
              children: inner.list,
            });
          },
        },
      ],
    });
    ((root.which("inner") as Supervisor).which("w") as Engine<unknown>).cast("crash");
    await waitFor(() => innerStarts === 2, 2000, "inner restarted");
    expect(inner.starts.w).toBe(2);
    await root.stop();
  });

  it("start() stops the children already started when a later one fails", async () => {
    const { list } = specs(["a"]);
    let a: Child | undefined;
    const failing: ChildSpec = {
      id: "bad",
      start: () => Promise.reject(new Error("no port")),
    };
    const first: ChildSpec = {
      id: "a",
      start: async () => {
        a = await (list[0] as ChildSpec).start();
        return a;
      },
    };
    const err = await Supervisor.start({
      name: "s",
      strategy: "one_for_one",
      children: [first, failing],
    }).catch((x: unknown) => x);
    expect(hasCodeOf(err, "CHILD_START_FAILED")).toBe(true);
    expect((a as Engine<unknown>).status).toBe("exited");
  });

  it("stops children in reverse start order", async () => {
    const order: string[] = [];
    const mod: EngineModule<string, string> = {
      name: "ordered",
      version: "1",
      init: (id: string) => id,
      terminate: (_r, id: string) => {
        order.push(id);
      },
    };
    const children: ChildSpec[] = ["a", "b", "c"].map((id) => ({
      id,
      start: () => Engine.start(mod, id, { name: id }),
    }));
    const sup = await Supervisor.start({ name: "s", strategy: "one_for_one", children });
    await sup.stop();
    expect(order).toEqual(["c", "b", "a"]);
  });
});

describe("dynamic supervision", () => {
  it("startChild() adds children at run time and terminateChild() removes them", async () => {
    const sup = await Supervisor.start({ name: "dyn", strategy: "one_for_one" });
    const c1 = await sup.startChild({
      restart: "temporary",
      start: () => Engine.start(worker, "w1", { name: "w1" }),
    });
    const c2 = await sup.startChild({
      id: "w2",
      restart: "temporary",
      start: () => Engine.start(worker, "w2", { name: "w2" }),
    });
    expect(sup.childIds()).toEqual(["dyn#1", "w2"]);
    await sup.terminateChild("w2");
    expect((c2 as Engine<unknown>).status).toBe("exited");
    expect(sup.childIds()).toEqual(["dyn#1"]);
    (c1 as Engine<unknown>).cast("crash");
    await waitFor(() => sup.childIds().length === 0, 2000, "temporary child gone");
    await sup.terminateChild("missing");
    await sup.stop();
    const err = await sup
      .startChild({ start: () => Engine.start(worker, "late") })
      .catch((x: unknown) => x);
    expect(hasCodeOf(err, "CHILD_START_FAILED")).toBe(true);
  });
});
