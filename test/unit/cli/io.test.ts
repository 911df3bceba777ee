import { afterEach, describe, expect, it, vi } from "vitest";
import { paint, printJson, println, processIo } from "../../../src/cli/io";
import { captureIo } from "../../support/cliHarness";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("processIo()", () => {
  it("writes to the process's stdout and stderr and reads its environment", () => {
    const io = processIo();
    expect(io.stdout).toBe(process.stdout);
    expect(io.stderr).toBe(process.stderr);
    expect(io.env).toBe(process.env);
  });

  it("never uses colour when NO_COLOR is set", () => {
    vi.stubEnv("NO_COLOR", "1");
    expect(processIo().colour).toBe(false);
  });

  it("uses colour only when stdout is a terminal and NO_COLOR is unset or empty", () => {
    vi.stubEnv("NO_COLOR", "");
    expect(processIo().colour).toBe(process.stdout.isTTY === true);
  });
});

describe("paint()", () => {
  it("adds ANSI codes only when the Io allows colour", () => {
    expect(paint(captureIo({ colour: true }), "red", "x")).toBe("\u001b[31mx\u001b[39m");
    expect(paint(captureIo({ colour: false }), "red", "x")).toBe("x");
  });
});

describe("println() and printJson()", () => {
  it("write a line, and indented JSON with a newline", () => {
    const io = captureIo();
    println(io, "hello");
    println(io);
    printJson(io, { a: [1] });
    expect(io.out()).toBe('hello\n\n{\n  "a": [\n    1\n  ]\n}\n');
    expect(io.err()).toBe("");
  });
});
