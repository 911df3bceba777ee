import { describe, expect, it } from "vitest";
import { CliError, cliError } from "../../../src/cli/cliError";
import { EXIT } from "../../../src/cli/exitCodes";
import { exitCodeOf } from "../../../src/cli/runCli";
import { NodeError } from "../../../src/errors";
import { VERSION } from "../../../src/version";
import { cli } from "../../support/cliHarness";

describe("exitCodeOf()", () => {
  it.each([
    ["CONFIG_BAD_VALUE", EXIT.USAGE],
    ["TX_BAD_OP", EXIT.USAGE],
    ["STORAGE_BAD_SNAPSHOT", EXIT.USAGE],
    ["STORAGE_LOCKED", EXIT.UNAVAILABLE],
    ["API_PORT_IN_USE", EXIT.UNAVAILABLE],
    ["STORAGE_READ_TIMEOUT", EXIT.TIMEOUT],
    ["CALL_TIMEOUT", EXIT.TIMEOUT],
    ["STORAGE_CORRUPT", EXIT.FAILURE],
  ])("maps a NodeError with code %s to exit %i", (code, exit) => {
    expect(exitCodeOf(new NodeError({ code }, "boom"))).toBe(exit);
  });

  it("uses the exit code a CliError carries", () => {
    expect(exitCodeOf(cliError(EXIT.NOT_FOUND, "CLI_X", "gone"))).toBe(EXIT.NOT_FOUND);
    expect(exitCodeOf(cliError(EXIT.UNAUTHORIZED, "CONFIG_LOOKALIKE", "no"))).toBe(
      EXIT.UNAUTHORIZED,
    );
  });

  it("maps anything that is not a NodeError to exit 1", () => {
    expect(exitCodeOf(new Error("plain"))).toBe(EXIT.FAILURE);
    expect(exitCodeOf("a string")).toBe(EXIT.FAILURE);
    expect(exitCodeOf(undefined)).toBe(EXIT.FAILURE);
  });
});

describe("cliError()", () => {
  it("builds a CliError with its code, exit code, message and cause", () => {
    const cause = new Error("underlying");
    const err = cliError(EXIT.USAGE, "CLI_BAD", "Cannot do it: bad", cause);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toBeInstanceOf(NodeError);
    expect(err.code).toBe("CLI_BAD");
    expect(err.exit).toBe(EXIT.USAGE);
    expect(err.message).toBe("Cannot do it: bad");
    expect(err.cause).toBe(cause);
    expect(cliError(EXIT.FAILURE, "CLI_BAD", "m").cause).toBeUndefined();
  });
});

describe("runCli() program", () => {
  it("--version prints the version and exits 0", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it("--help lists the commands, the global options and the exit codes", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const word of ["start", "status", "tx", "state", "events", "snapshot", "config"])
      expect(r.stdout).toContain(word);
    expect(r.stdout).toContain("--data-dir <dir>");
    expect(r.stdout).toContain("--api-port <port>");
    expect(r.stdout).toContain("Exit codes:");
  });

  it.each([
    [
      ["tx", "submit", "--help"],
      ["--put <key=value>", "--file <path>", "--wait", "Examples:"],
    ],
    [
      ["state", "get", "--help"],
      ["--at <height>", "--timeout <ms>", "Exit code 5"],
    ],
    [
      ["events", "--help"],
      ["--topic <topic>", "--filter <json>", "--count <n>"],
    ],
    [
      ["start", "--help"],
      ["--log-level <level>", "--block-interval-ms <ms>"],
    ],
    [
      ["snapshot", "export", "--help"],
      ["--at <height>", "<file>"],
    ],
    [
      ["config", "--help"],
      ["get [key]", "set <key> <value>", "path"],
    ],
  ])("%j prints help with its options and exits 0", async (argv, words) => {
    const r = await cli(argv);
    expect(r.code).toBe(0);
    for (const w of words) expect(r.stdout).toContain(w);
  });

  it("an unknown command exits 2 with a message and a suggestion on stderr", async () => {
    const r = await cli(["statu"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("unknown command 'statu'");
    expect(r.stderr).toContain("status");
    expect(r.stdout).toBe("");
  });

  it("an unknown option exits 2", async () => {
    const r = await cli(["status", "--bogus"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it("a missing argument exits 2", async () => {
    const r = await cli(["state", "get"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("missing required argument 'key'");
  });

  it.each([["0"], ["65536"], ["12ab"], ["-1"]])(
    "--api-port %s is a usage error naming the flag and its range",
    async (port) => {
      const r = await cli(["--api-port", port, "status"]);
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.stderr).toContain(
        `Cannot use --api-port ${port}: expected an integer from 1 to 65535`,
      );
    },
  );
});
