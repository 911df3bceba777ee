import { constants } from "node:os";

/** Restarts within this window count towards the limit below. */
export const RESTART_WINDOW_MS = 60_000;
/** More restarts than this in the window means a restart loop: the parent gives up. */
export const MAX_RESTARTS_PER_WINDOW = 5;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The parent was told to stop (and passed the signal on): never restart then. */
  stopping: boolean;
  /** Restarts already made within the window. */
  recentRestarts: number;
}

export type SupervisorStep = { action: "restart" } | { action: "exit"; code: number };

/**
 * What the supervising parent does when the node exits: restart only on the restart
 * code (an upgrade asked for it), otherwise end with the node's own code, a signal
 * reported the way a shell does (128 + its number), so the parent is as transparent
 * as running the node directly.
 */
export function supervisorStep(e: ChildExit, restartCode: number): SupervisorStep {
  if (e.signal !== null) return { action: "exit", code: 128 + (constants.signals[e.signal] ?? 0) };
  const code = e.code ?? 1;
  if (code !== restartCode || e.stopping) return { action: "exit", code };
  if (e.recentRestarts >= MAX_RESTARTS_PER_WINDOW) return { action: "exit", code };
  return { action: "restart" };
}
