import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type DataSnapshot, useHostileNode } from "../../support/hostileNode";
import { waitUntil } from "../../support/waitUntil";

/**
 * A web page can reach the control API on loopback in two ways: a cross-site request from
 * its own origin (the browser adds Origin), or DNS rebinding (its own name now resolves to
 * 127.0.0.1, so the browser sends `Host: attacker.example:<port>` and treats the answer as
 * same-origin). Neither may read /metrics or open the event stream.
 */
const node = useHostileNode();

function token(): string {
  return readFileSync(join(node().dataDir, "api.token"), "utf8").trim();
}

interface RawReply {
  status: number;
  contentType: string;
  text: string;
}

/** A request with full control over Host, which fetch (undici) does not allow. */
function raw(path: string, headers: Record<string, string>): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: node().apiPort, method: "GET", path, headers, timeout: 15_000 },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"]),
            text,
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer to GET ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

/** Opens the event stream as `anode events` does, plus `headers`; resolves with the outcome. */
function openEvents(
  headers: Record<string, string>,
): Promise<{ opened: true } | { opened: false; status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${node().apiPort}/v1/events`, {
      headers: { authorization: `Bearer ${token()}`, ...headers },
      handshakeTimeout: 15_000,
    });
    ws.on("open", () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString();
      });
      res.on("end", () => resolve({ opened: false, status: res.statusCode ?? 0, text }));
    });
    ws.on("error", reject);
  });
}

function errorCode(text: string): unknown {
  return (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
}

describe("the control API refuses web pages", () => {
  let before: DataSnapshot;
  beforeAll(() => {
    before = node().snapshot();
  });

  it("refuses GET /metrics without the token with 401", async () => {
    const r = await raw("/metrics", {});
    expect(r.status, r.text.slice(0, 200)).toBe(401);
    expect(errorCode(r.text)).toBe("API_UNAUTHORIZED");
  });

  it("logs a refused request at warn without repeating a long header", async () => {
    const junk = `${"a".repeat(4000)}.attacker.example:${node().apiPort}`;
    const r = await raw("/metrics", { authorization: `Bearer ${token()}`, host: junk });
    expect(r.status, r.text.slice(0, 200)).toBe(421);
    expect(r.text).not.toContain("a".repeat(200));
    const log = () => {
      const { stdout, stderr } = node().proc.output();
      return `${stdout}\n${stderr}`;
    };
    await waitUntil(
      () => log().includes("control API refused a request"),
      "the refusal in the log",
    );
    const line = log()
      .split("\n")
      .find((l) => l.includes("control API refused a request"));
    expect(line).toContain("API_HOST_REFUSED");
    expect(line).toMatch(/warn/i);
    expect(log()).not.toContain("a".repeat(200));
  });

  it("refuses GET /metrics with the token under a rebound Host with 421", async () => {
    const r = await raw("/metrics", {
      authorization: `Bearer ${token()}`,
      host: `attacker.example:${node().apiPort}`,
    });
    expect(r.status, r.text.slice(0, 200)).toBe(421);
    expect(errorCode(r.text)).toBe("API_HOST_REFUSED");
    expect(r.text).toMatch(/the Host header .* is not a loopback name/);
    expect(r.text).not.toMatch(/anode_block_height/);
    const status = await raw("/v1/status", {
      authorization: `Bearer ${token()}`,
      host: `attacker.example:${node().apiPort}`,
    });
    expect(status.status, status.text.slice(0, 200)).toBe(421);
  });

  it("refuses a cross-site request (a foreign Origin) with the token with 403", async () => {
    const r = await raw("/v1/status", {
      authorization: `Bearer ${token()}`,
      origin: "http://attacker.example",
    });
    expect(r.status, r.text.slice(0, 200)).toBe(403);
    expect(errorCode(r.text)).toBe("API_ORIGIN_REFUSED");
  });

  it("never opens the event stream for a foreign Origin, even with the token", async () => {
    const r = await openEvents({ origin: "http://attacker.example" });
    expect(r).toMatchObject({ opened: false, status: 403 });
    if (!r.opened) expect(errorCode(r.text)).toBe("API_ORIGIN_REFUSED");
  });

  it("never opens the event stream under a rebound Host", async () => {
    const port = node().apiPort;
    const r = await openEvents({
      host: `attacker.example:${port}`,
      origin: `http://attacker.example:${port}`,
    });
    expect(r).toMatchObject({ opened: false, status: 421 });
    if (!r.opened) expect(errorCode(r.text)).toBe("API_HOST_REFUSED");
  });

  it("still serves its own clients: Prometheus with the token, the CLI's stream, its own pages", async () => {
    const port = node().apiPort;
    const metrics = await raw("/metrics", { authorization: `Bearer ${token()}` });
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^# TYPE anode_block_height gauge$/m);
    expect(await openEvents({})).toEqual({ opened: true });
    expect(
      await openEvents({ host: `localhost:${port}`, origin: `http://localhost:${port}` }),
    ).toEqual({ opened: true });
    await node().expectUnharmed(before);
  });
});
