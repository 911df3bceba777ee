import { describe, expect, it } from "vitest";
import { Engine, type EngineModule, type ExitReason, hasCodeOf } from "./helpers";

interface Counter {
  n: number;
  log: string[];
}

const counter: EngineModule<Counter, number> = {
  name: "counter",
  version: "1",
  init: (start) => ({ n: start, log: [] }),
  handleCall(msg, from, state, ctx) {
    const m = msg as { type: string; by?: number; ms?: number };
    if (m.type === "get") return { reply: state.n, state };
    if (m.type === "add")
      return { reply: state.n + (m.by ?? 1), state: { ...state, n: state.n + (m.by ?? 1) } };
    if (m.type === "later") {
      setTimeout(() => ctx.reply(from, "late"), m.ms ?? 1);
      return { noreply: true, state };
    }
    if (m.type === "fail") {
      ctx.replyError(from, new Error("refused"));
      return { noreply: true, state };
    }
    if (m.type === "slow")
      return new Promise((r) => setTimeout(() => r({ reply: "slow", state }), m.ms ?? 20));
    if (m.type === "crash") throw new Error("boom");
    if (m.type === "log") return { reply: state.log, state };
    return { reply: undefined, state };
  },
  handleCast(msg, state) {
    return { ...state, log: [...state.log, `cast:${String(msg)}`] };
  },
  handleInfo(msg, state) {
    return { ...state, log: [...state.log, `info:${String(msg)}`] };
  },
};

describe("Engine", () => {
  it("call() replies with the handler's reply and keeps the new state", async () => {
    const e = await Engine.start(counter, 5);
    expect(await e.call({ type: "add", by: 2 })).toBe(7);
    expect(await e.call({ type: "get" })).toBe(7);
    await e.stop();
  });

  it("handles casts, infos and calls in the order they were sent", async () => {
    const e = await Engine.start(counter, 0);
    e.cast("a");
    e.info("b");
    e.cast("c");
    expect(await e.call({ type: "log" })).toEqual(["cast:a", "info:b", "cast:c"]);
    await e.stop();
  });

  it("a deferred reply answers the call later, and replyError rejects it", async () => {
    const e = await Engine.start(counter, 0);
    expect(await e.call({ type: "later", ms: 5 })).toBe("late");
    await expect(e.call({ type: "fail" })).rejects.toThrow("refused");
    await e.stop();
  });

  it("call() rejects with CALL_TIMEOUT when no reply comes in time", async () => {
    const e = await Engine.start(counter, 0);
    const err = await e.call({ type: "slow", ms: 200 }, 10).catch((x: unknown) => x);
    expect(hasCodeOf(err, "CALL_TIMEOUT")).toBe(true);
    await e.stop();
  });

  it("a handler that throws crashes the engine: the caller gets the error and exit listeners the reason", async () => {
    let terminated: ExitReason | undefined;
    const mod: EngineModule<Counter, number> = {
      ...counter,
      terminate: (r) => {
        terminated = r;
      },
    };
    const e = await Engine.start(mod, 0);
    const exited = new Promise<ExitReason>((r) => e.onExit(r));
    const queued = e.call({ type: "get" });
    await expect(e.call({ type: "crash" })).rejects.toThrow("boom");
    const reason = await exited;
    expect(typeof reason === "object" && (reason.error as Error).message).toBe("boom");
    expect(terminated).toEqual(reason);
    expect(e.status).toBe("exited");
    // The call queued behind the crash does not hang.
    await expect(queued).resolves.toBe(0);
    const after = await e.call({ type: "get" }).catch((x: unknown) => x);
    expect(hasCodeOf(after, "ENGINE_EXITED")).toBe(true);
  });

  it("start() rejects with ENGINE_INIT_FAILED when init throws", async () => {
    const bad: EngineModule<Counter, number> = {
      ...counter,
      init: () => {
        throw new Error("no disk");
      },
    };
    const err = await Engine.start(bad, 0).catch((x: unknown) => x);
    expect(hasCodeOf(err, "ENGINE_INIT_FAILED")).toBe(true);
    expect((err as Error).message).toContain("no disk");
  });

  it("stop() runs terminate, rejects queued calls and ignores later casts", async () => {
    const seen: ExitReason[] = [];
    const mod: EngineModule<Counter, number> = { ...counter, terminate: (r) => void seen.push(r) };
    const e = await Engine.start(mod, 0);
    const slow = e.call({ type: "slow", ms: 30 });
    const queued = e.call({ type: "get" }).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 5));
    await e.stop("shutdown");
    await expect(slow).resolves.toBe("slow");
    expect(hasCodeOf(await queued, "ENGINE_EXITED")).toBe(true);
    expect(seen).toEqual(["shutdown"]);
    e.cast("ignored");
    expect(e.mailboxSize).toBe(0);
    await e.stop();
  });

  it("ctx.stop() ends the engine with the given reason after the current message", async () => {
    const mod: EngineModule<number, void> = {
      name: "quitter",
      version: "1",
      init: () => 0,
      handleCast(_m, s, ctx) {
        ctx.stop("normal");
        return s + 1;
      },
    };
    const e = await Engine.start(mod, undefined);
    const exited = new Promise<ExitReason>((r) => e.onExit(r));
    e.cast("go");
    expect(await exited).toBe("normal");
  });

  it("sendAfter() delivers an info message and its timers die with the engine", async () => {
    const mod: EngineModule<string[], void> = {
      name: "timer",
      version: "1",
      init: (_a, ctx) => {
        ctx.sendAfter(5, "tick");
        ctx.sendAfter(10_000, "never");
        const cancel = ctx.sendAfter(5, "cancelled");
        cancel();
        return [];
      },
      handleInfo: (m, s) => [...s, String(m)],
      handleCall: (_m, _f, s) => ({ reply: s, state: s }),
    };
    const e = await Engine.start(mod, undefined);
    await new Promise((r) => setTimeout(r, 30));
    expect(await e.call("x")).toEqual(["tick"]);
    await e.stop();
  });

  it("reports NO_HANDLER to a caller when the module has no handleCall", async () => {
    const mod: EngineModule<number, void> = { name: "mute", version: "1", init: () => 0 };
    const e = await Engine.start(mod, undefined);
    e.cast("ignored");
    e.info("ignored");
    const err = await e.call("x").catch((x: unknown) => x);
    expect(hasCodeOf(err, "NO_HANDLER")).toBe(true);
    await e.stop();
  });

  it("ctx.call reaches other engines through the mailer, and fails clearly without one", async () => {
    const target = await Engine.start(counter, 41);
    const proxy: EngineModule<null, void> = {
      name: "proxy",
      version: "1",
      init: () => null,
      async handleCall(msg, _f, s, ctx) {
        return { reply: await ctx.call({ engine: "counter" }, msg), state: s };
      },
    };
    const mailer = {
      call: (_to: unknown, msg: unknown) => target.call(msg),
      cast: () => {},
      send: () => {},
    };
    const p = await Engine.start(proxy, undefined, { mailer });
    expect(await p.call({ type: "add" })).toBe(42);
    const lonely = await Engine.start(proxy, undefined);
    const err = await lonely.call({ type: "add" }).catch((x: unknown) => x);
    expect(hasCodeOf(err, "NO_SUCH_ENGINE")).toBe(true);
    await Promise.all([p.stop(), lonely.stop(), target.stop()]);
  });
});

describe("Engine code change", () => {
  const v2: EngineModule<Counter, number> = {
    ...counter,
    version: "2",
    codeChange: (from, state) => ({ ...(state as Counter), log: [`from ${from}`] }),
    handleCall(msg, from, state, ctx) {
      if ((msg as { type: string }).type === "get") return { reply: state.n * 100, state };
      return counter.handleCall?.(msg, from, state, ctx) as { reply: unknown; state: Counter };
    },
  };

  it("changeCode() requires a suspended engine", async () => {
    const e = await Engine.start(counter, 1);
    const err = await e.changeCode(v2).catch((x: unknown) => x);
    expect(hasCodeOf(err, "NOT_SUSPENDED")).toBe(true);
    await e.stop();
  });

  it("messages sent while suspended queue up and are handled by the new code after resume", async () => {
    const e = await Engine.start(counter, 3);
    await e.suspend();
    expect(e.status).toBe("suspended");
    const during = e.call({ type: "get" });
    e.cast("queued");
    expect(e.mailboxSize).toBe(2);
    await e.changeCode(v2, { any: "extra" });
    expect(e.version).toBe("2");
    e.resume();
    expect(await during).toBe(300);
    expect(await e.call({ type: "log" })).toEqual(["from 1", "cast:queued"]);
    await e.stop();
  });

  it("a codeChange that throws leaves the old module and state in place", async () => {
    const broken: EngineModule<Counter, number> = {
      ...counter,
      version: "3",
      codeChange: () => {
        throw new Error("cannot convert");
      },
    };
    const e = await Engine.start(counter, 9);
    await e.suspend();
    const err = await e.changeCode(broken).catch((x: unknown) => x);
    expect(hasCodeOf(err, "CODE_CHANGE_FAILED")).toBe(true);
    expect(e.version).toBe("1");
    e.resume();
    expect(await e.call({ type: "get" })).toBe(9);
    await e.stop();
  });

  it("revertCode() restores the module and state from before the first change", async () => {
    const e = await Engine.start(counter, 2);
    await e.suspend();
    await e.changeCode(v2);
    await e.changeCode({ ...v2, version: "2b" });
    e.revertCode();
    e.resume();
    expect(e.version).toBe("1");
    expect(await e.call({ type: "get" })).toBe(2);
    expect(await e.call({ type: "log" })).toEqual([]);
    await e.stop();
  });

  it("suspend() waits for the message in flight", async () => {
    const e = await Engine.start(counter, 0);
    let done = false;
    void e.call({ type: "slow", ms: 20 }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 2));
    await e.suspend();
    expect(done).toBe(true);
    e.resume();
    await e.stop();
  });
});
