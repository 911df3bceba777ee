import { describe, expect, it } from "vitest";
import {
  type ChildExit,
  MAX_RESTARTS_PER_WINDOW,
  type SupervisorStep,
  supervisorStep,
} from "../../../src/cli/commands/start/supervisorStep";

const base: ChildExit = { code: 0, signal: null, stopping: false, recentRestarts: 0 };

describe("supervisorStep()", () => {
  const cases: Array<[string, Partial<ChildExit>, SupervisorStep]> = [
    ["restarts on the restart code", { code: 75 }, { action: "restart" }],
    ["ends with a clean exit", { code: 0 }, { action: "exit", code: 0 }],
    ["ends with a failure's code", { code: 1 }, { action: "exit", code: 1 }],
    [
      "reports a signal as 128 + its number",
      { code: null, signal: "SIGKILL" },
      { action: "exit", code: 137 },
    ],
    [
      "does not restart once told to stop",
      { code: 75, stopping: true },
      { action: "exit", code: 75 },
    ],
    [
      "gives up a restart loop",
      { code: 75, recentRestarts: MAX_RESTARTS_PER_WINDOW },
      { action: "exit", code: 75 },
    ],
  ];
  it.each(cases)("%s", (_name, exit, step) => {
    expect(supervisorStep({ ...base, ...exit }, 75)).toEqual(step);
  });
});
