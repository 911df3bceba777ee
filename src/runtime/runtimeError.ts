import { NodeError } from "../errors";

export type RuntimeErrorType =
  | { code: "CALL_TIMEOUT"; engine: string; timeoutMs: number }
  | { code: "ENGINE_EXITED"; engine: string }
  | { code: "ENGINE_INIT_FAILED"; engine: string }
  | { code: "NO_SUCH_ENGINE"; engine: string }
  | { code: "NAME_TAKEN"; engine: string }
  | { code: "NO_SUCH_MODULE"; module: string }
  | { code: "UPGRADE_FAILED"; reason: string }
  | { code: "RESTARTED_FOR_UPGRADE"; module: string; version: string }
  | { code: "NOT_SUSPENDED"; engine: string }
  | { code: "CODE_CHANGE_FAILED"; engine: string; from: string; to: string }
  | { code: "NO_HANDLER"; engine: string; kind: "call" | "cast" | "info" }
  | { code: "SUPERVISOR_INTENSITY"; supervisor: string; maxRestarts: number; periodMs: number }
  | { code: "CHILD_START_FAILED"; supervisor: string; child: string };

export class RuntimeError extends NodeError<RuntimeErrorType> {}
