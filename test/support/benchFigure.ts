import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file of recorded benchmark figures, in the repo. */
export const FIGURES_FILE = join(__dirname, "..", "bench", "figures.json");
/** A figure this much worse than the recorded one is a regression worth a warning. */
export const REGRESSION = 0.2;
/** Set to rewrite the recorded figures of the benchmarks that ran. */
export const RECORD_ENV = "ANODE_BENCH_RECORD";

export interface Recorded {
  better: "higher" | "lower";
  goal?: number;
  figure?: number;
}

/** How much worse `value` is than `recorded` (0.25: 25 % worse; negative: better). */
export function worseBy(value: number, recorded: Recorded): number | undefined {
  const r = recorded.figure;
  if (r === undefined || !Number.isFinite(value) || r === 0) return undefined;
  return recorded.better === "higher" ? (r - value) / r : (value - r) / r;
}

/** The lines a run prints for one figure: the BENCH line, and a warning on a regression. */
export function figureLines(name: string, value: number, recorded: Recorded | undefined): string[] {
  const digits = Math.abs(value) < 0.1 ? 4 : Math.abs(value) < 10 ? 3 : 1;
  const parts = [];
  if (recorded?.goal !== undefined)
    parts.push(`goal ${recorded.better === "higher" ? ">=" : "<="} ${recorded.goal}`);
  if (recorded?.figure !== undefined) parts.push(`recorded ${recorded.figure}`);
  const lines = [
    `BENCH ${name}: ${value.toFixed(digits)}${parts.length > 0 ? ` (${parts.join("; ")})` : ""}`,
  ];
  const worse = recorded === undefined ? undefined : worseBy(value, recorded);
  if (worse !== undefined && worse > REGRESSION) {
    lines.push(
      `BENCH WARNING: ${name} is ${(worse * 100).toFixed(0)} % worse than the recorded ${recorded?.figure} (test/bench/figures.json)`,
    );
  }
  return lines;
}

function readFigures(): Record<string, Recorded> {
  return JSON.parse(readFileSync(FIGURES_FILE, "utf8")) as Record<string, Recorded>;
}

/**
 * Prints a benchmark's figure against the one recorded in the repo, warning when it is
 * more than 20 % worse; with ANODE_BENCH_RECORD set, records it. `better` is used for a
 * figure not recorded yet.
 */
export function benchFigure(
  name: string,
  value: number,
  better: Recorded["better"] = "higher",
): void {
  const figures = readFigures();
  for (const line of figureLines(name, value, figures[name])) console.log(line);
  if (process.env[RECORD_ENV] && Number.isFinite(value)) {
    figures[name] = { ...(figures[name] ?? { better }), figure: Number(value.toPrecision(3)) };
    writeFileSync(FIGURES_FILE, `${JSON.stringify(figures, null, 2)}\n`);
  }
}
