import type { EngineContext, EngineModule, From } from "../../runtime";
import type { EventLog, LogEntry } from "../../storage";
import { LOGGER } from "../names";

export interface LoggerArgs {
  log: EventLog;
  /** fsync every group commit: an acknowledged input then survives a power cut. */
  sync: boolean;
}

interface Waiting {
  from: From;
  count: number;
}

interface LoggerState {
  log: EventLog;
  sync: boolean;
  buffer: LogEntry[];
  waiting: Waiting[];
  flushing: boolean;
  appended: number;
}

export type LoggerCall = { type: "append"; entries: LogEntry[] } | { type: "stats" };

/**
 * Appends every state-changing input to the event log. Appends that arrive while a write
 * is in flight are grouped into the next write (group commit), so many submitters share
 * one fsync; each caller gets the seq of its last entry.
 */
export const loggerEngine: EngineModule<LoggerState, LoggerArgs> = {
  name: LOGGER,
  version: "1.0.0",
  init: ({ log, sync }) => ({ log, sync, buffer: [], waiting: [], flushing: false, appended: 0 }),
  handleCall(msg, from, state, ctx) {
    const m = msg as LoggerCall;
    if (m.type === "stats")
      return { reply: { appended: state.appended, lastSeq: state.log.lastSeq }, state };
    if (m.type !== "append" || !Array.isArray(m.entries)) throw new Error("logger: malformed call");
    state.buffer.push(...m.entries);
    state.waiting.push({ from, count: m.entries.length });
    if (!state.flushing) flush(state, ctx);
    return { noreply: true, state };
  },
  handleInfo(msg, state, ctx) {
    const m = msg as { type: string; waiting: Waiting[]; lastSeq?: number; error?: unknown };
    if (m.type === "flushed") {
      let seq = (m.lastSeq as number) - m.waiting.reduce((n, w) => n + w.count, 0);
      for (const w of m.waiting) {
        seq += w.count;
        ctx.reply(w.from, seq);
      }
      state.appended += m.waiting.length;
      state.flushing = false;
      if (state.waiting.length > 0) flush(state, ctx);
      return state;
    }
    if (m.type === "flushFailed") {
      for (const w of m.waiting) ctx.replyError(w.from, m.error);
      // A log that cannot be written makes replay impossible: crash and let supervision act.
      throw m.error;
    }
    return state;
  },
};

function flush(state: LoggerState, ctx: EngineContext): void {
  const entries = state.buffer;
  const waiting = state.waiting;
  state.buffer = [];
  state.waiting = [];
  state.flushing = true;
  state.log.append(entries, { sync: state.sync }).then(
    (lastSeq) => ctx.info({ type: "flushed", waiting, lastSeq }),
    (error: unknown) => ctx.info({ type: "flushFailed", waiting, error }),
  );
}
