import { NodeError } from "../errors";

/** Where a value came from; every layer above `default` can be wrong. */
export type ConfigSource = "flag" | "env" | "file" | "default";

/** One failing value. `path` is a JSON pointer into the options (`/api/port`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  /** What the operator typed: the file, `ANODE_API_PORT` or `flag api.port`. */
  readonly origin: string;
}

export type ConfigErrorType =
  | {
      code: "CONFIG_INVALID";
      source: Exclude<ConfigSource, "default">;
      /** The first failing path, for callers that want one. */
      path: string;
      issues: readonly ConfigIssue[];
      file?: string;
    }
  | { code: "CONFIG_UNKNOWN_KEY"; path: string }
  | { code: "CONFIG_UNREADABLE"; file: string };

export class ConfigError extends NodeError<ConfigErrorType> {
  /** Groups issues by origin so the message reads "Cannot load config: <file>: /a x; /b y". */
  static invalid(
    source: Exclude<ConfigSource, "default">,
    issues: readonly ConfigIssue[],
    options: { file?: string; action?: string } = {},
  ): ConfigError {
    const byOrigin = new Map<string, string[]>();
    for (const issue of issues) {
      const lines = byOrigin.get(issue.origin) ?? [];
      // A root issue (an unparsable file) has no path worth printing.
      lines.push(issue.path === "/" ? issue.message : `${issue.path} ${issue.message}`);
      byOrigin.set(issue.origin, lines);
    }
    const reasons = [...byOrigin].map(([origin, lines]) => `${origin}: ${lines.join("; ")}`);
    const type: ConfigErrorType = {
      code: "CONFIG_INVALID",
      source,
      path: issues[0]?.path ?? "/",
      issues,
      ...(options.file === undefined ? {} : { file: options.file }),
    };
    return new ConfigError(
      type,
      `Cannot ${options.action ?? "load config"}: ${reasons.join("; ")}`,
    );
  }
}
