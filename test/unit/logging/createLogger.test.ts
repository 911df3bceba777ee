import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { NodeError } from "../../../src/errors";
import { createLogger, type LogLevel } from "../../../src/logging";
import { capture } from "./capture";

const ESC = "\u001b[";

class PeerError extends NodeError<{ code: "PEER_REFUSED"; peer: string }> {}

describe("createLogger() JSON lines", () => {
  it("writes one parseable object a line with level, msg, time and context", () => {
    const out = capture();
    const log = createLogger({ level: "info", format: "json", destination: out.stream });
    log.info("peer connected", { peer: "n2", addr: "127.0.0.2:7711" });
    log.warn("slow block");
    const [first, second] = out.lines();
    expect(first).toMatchObject({
      level: "info",
      msg: "peer connected",
      peer: "n2",
      addr: "127.0.0.2:7711",
    });
    expect(typeof first?.time).toBe("string");
    expect(Number.isNaN(Date.parse(String(first?.time)))).toBe(false);
    expect(second).toMatchObject({ level: "warn", msg: "slow block" });
  });

  it("leaves printf-like text in messages alone", () => {
    const out = capture();
    createLogger({ level: "info", format: "json", destination: out.stream }).info(
      "100%s done %d",
      {},
    );
    expect(out.lines()[0]?.msg).toBe("100%s done %d");
  });

  it.each<[LogLevel, string[]]>([
    ["trace", ["trace", "debug", "info", "warn", "error"]],
    ["debug", ["debug", "info", "warn", "error"]],
    ["info", ["info", "warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
    ["fatal", []],
    ["silent", []],
  ])("at level %s writes only %j", (level, expected) => {
    const out = capture();
    const log = createLogger({ level, format: "json", destination: out.stream });
    log.trace("trace");
    log.debug("debug");
    log.info("info");
    log.warn("warn");
    log.error("error");
    expect(out.lines().map((line) => line.level)).toEqual(expected);
  });

  it("adds a child's bindings to every line, nesting children", () => {
    const out = capture();
    const root = createLogger({ level: "info", format: "json", destination: out.stream });
    const p2p = root.child({ module: "p2p" });
    const gossip = p2p.child({ module: "p2p.gossip", topic: "blocks" });
    root.info("root");
    p2p.info("p2p", { peer: "n3" });
    gossip.info("gossip");
    const [rootLine, p2pLine, gossipLine] = out.lines();
    expect(rootLine?.module).toBeUndefined();
    expect(p2pLine).toMatchObject({ module: "p2p", peer: "n3", msg: "p2p" });
    expect(gossipLine).toMatchObject({ module: "p2p.gossip", topic: "blocks", msg: "gossip" });
  });

  it("redacts secrets at the top level, one level down and in bindings", () => {
    const out = capture();
    const log = createLogger({ level: "info", format: "json", destination: out.stream });
    log.child({ module: "api", token: "t0" }).info("request", {
      token: "t1",
      secretKey: "s1",
      privateKey: "k1",
      password: "p1",
      user: "ada",
      auth: { token: "t2", password: "p2", scheme: "bearer" },
    });
    const text = out.text();
    for (const secret of ["t0", "t1", "t2", "s1", "k1", "p1", "p2"]) {
      expect(text).not.toContain(`"${secret}"`);
    }
    expect(out.lines()[0]).toMatchObject({
      module: "api",
      token: "[redacted]",
      secretKey: "[redacted]",
      privateKey: "[redacted]",
      password: "[redacted]",
      user: "ada",
      auth: { token: "[redacted]", password: "[redacted]", scheme: "bearer" },
    });
  });

  it("serialises errors with type, message, code, stack and cause", () => {
    const out = capture();
    const log = createLogger({ level: "info", format: "json", destination: out.stream });
    const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const err = new PeerError({ code: "PEER_REFUSED", peer: "n2" }, "Cannot dial peer: refused", {
      cause,
    });
    log.error("dial failed", { err });
    const line = out.lines()[0];
    expect(line?.err).toMatchObject({
      type: "PeerError",
      message: "Cannot dial peer: refused",
      code: "PEER_REFUSED",
      cause: { type: "Error", message: "connect ECONNREFUSED", code: "ECONNREFUSED" },
    });
    expect((line?.err as { stack?: string } | undefined)?.stack).toContain(
      "Cannot dial peer: refused",
    );
  });

  it("writes to a file descriptor synchronously", () => {
    const dir = mkdtempSync(join(tmpdir(), "anode-log-"));
    try {
      const file = join(dir, "node.log");
      const fd = openSync(file, "w");
      createLogger({ level: "info", format: "auto", destination: fd }).info("to fd", { n: 1 });
      closeSync(fd);
      expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
        level: "info",
        msg: "to fd",
        n: 1,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("createLogger() format", () => {
  async function prettyText(out: ReturnType<typeof capture>): Promise<string> {
    // pino-pretty pipes into a stream destination, so its output lands a tick later.
    await vi.waitFor(() => expect(out.text()).not.toBe(""));
    return out.text();
  }

  it("auto is JSON when the destination is not a TTY", () => {
    const out = capture(false);
    createLogger({ level: "info", format: "auto", destination: out.stream }).info("hello");
    expect(out.lines()[0]).toMatchObject({ msg: "hello" });
  });

  it("auto is pretty and coloured when the destination is a TTY", async () => {
    const out = capture(true);
    createLogger({ level: "info", format: "auto", destination: out.stream, env: {} })
      .child({ module: "p2p" })
      .info("peer connected", { peer: "n2" });
    const text = await prettyText(out);
    expect(text).toContain(ESC);
    expect(text).toContain("[p2p] peer connected");
    expect(text).toContain("peer");
    expect(() => JSON.parse(text)).toThrow();
  });

  it("isTTY overrides detection", () => {
    const out = capture(true);
    createLogger({ level: "info", format: "auto", destination: out.stream, isTTY: false }).info(
      "x",
    );
    expect(out.lines()[0]).toMatchObject({ msg: "x" });
  });

  it("pretty respects NO_COLOR", async () => {
    const out = capture();
    createLogger({
      level: "info",
      format: "pretty",
      destination: out.stream,
      isTTY: true,
      env: { NO_COLOR: "1" },
    }).warn("careful", { token: "secret" });
    const text = await prettyText(out);
    expect(text).not.toContain(ESC);
    expect(text).toContain("WARN");
    expect(text).toContain("careful");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("secret");
  });

  it("pretty is uncoloured off a TTY", async () => {
    const out = capture(false);
    createLogger({ level: "info", format: "pretty", destination: out.stream, env: {} }).info(
      "plain",
    );
    const text = await prettyText(out);
    expect(text).not.toContain(ESC);
    expect(text).toContain("INFO");
    expect(text).toContain("plain");
  });
});
