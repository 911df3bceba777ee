import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../../../../src/cli/cliError";
import { NodeClient } from "../../../../src/cli/client/nodeClient";
import { EXIT } from "../../../../src/cli/exitCodes";
import { captureIo } from "../../../support/cliHarness";
import { freePort } from "../../../support/ports";
import { tempDir } from "../../../support/tempDir";
import { useTempDir } from "../../../support/useTempDir";

const TOKEN = "a".repeat(64);
const dir = useTempDir("anode-client-");

/** A stand-in for the node's API that answers every request with the status and body asked for in its path. */
let server: Server;
let port = 0;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

beforeAll(async () => {
  writeFileSync(join(dir(), "api.token"), `${TOKEN}\n`);
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization,
        body,
      });
      const [, status, kind] = /^\/(\d+)\/(\w+)/.exec(req.url ?? "") ?? [];
      res.writeHead(Number(status ?? 200), { "content-type": "application/json" });
      if (kind === "text") res.end("<html>not json</html>");
      else if (kind === "error")
        res.end(JSON.stringify({ error: { code: "SOME_CODE", message: "told you" } }));
      else if (kind === "bare") res.end("{}");
      else res.end(JSON.stringify({ echoed: body === "" ? null : JSON.parse(body) }));
    });
  });
  port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function client(): Promise<NodeClient> {
  return NodeClient.connect({ dataDir: dir(), apiPort: port }, captureIo());
}

async function failure(path: string): Promise<CliError> {
  const c = await client();
  const err = await c.request("GET", path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

describe("NodeClient", () => {
  it("connects with the data directory's token and the configured port", async () => {
    const c = await client();
    expect(c.base).toBe(`http://127.0.0.1:${port}`);
    expect(c.options.dataDir).toBe(dir());
  });

  it("sends the bearer token and a JSON body, and returns the parsed reply", async () => {
    const c = await client();
    await expect(c.request("POST", "/200/echo", { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
    const last = seen[seen.length - 1];
    expect(last).toEqual({
      method: "POST",
      url: "/200/echo",
      auth: `Bearer ${TOKEN}`,
      body: '{"a":1}',
    });
  });

  it.each([
    [400, EXIT.USAGE],
    [401, EXIT.UNAUTHORIZED],
    [404, EXIT.NOT_FOUND],
    [413, EXIT.USAGE],
    [500, EXIT.FAILURE],
    [503, EXIT.UNAVAILABLE],
    [504, EXIT.TIMEOUT],
  ])(
    "turns HTTP %i with an error body into exit %i with the node's code and message",
    async (status, exit) => {
      const err = await failure(`/${status}/error`);
      expect(err.exit).toBe(exit);
      expect(err.code).toBe("SOME_CODE");
      expect(err.message).toBe("told you");
    },
  );

  it("names the HTTP status when an error reply has no error body", async () => {
    const err = await failure("/502/bare");
    expect(err.code).toBe("HTTP_502");
    expect(err.message).toBe("HTTP 502");
    expect(err.exit).toBe(EXIT.FAILURE);
  });

  it("treats an error body as a failure even with HTTP 200", async () => {
    const err = await failure("/200/error");
    expect(err.code).toBe("SOME_CODE");
    expect(err.exit).toBe(EXIT.FAILURE);
  });

  it("refuses a reply that is not JSON with exit 1, quoting it", async () => {
    const err = await failure("/200/text");
    expect(err.exit).toBe(EXIT.FAILURE);
    expect(err.code).toBe("CLI_BAD_REPLY");
    expect(err.message).toBe("Cannot read the node's reply (HTTP 200): <html>not json</html>");
  });

  it("exits 3 when nothing listens, naming the address and the cause", async () => {
    const free = await freePort();
    const c = await NodeClient.connect({ dataDir: dir(), apiPort: free }, captureIo());
    const err = await c.request("GET", "/v1/status").then(
      () => undefined,
      (e: unknown) => e as CliError,
    );
    expect(err?.exit).toBe(EXIT.UNAVAILABLE);
    expect(err?.message).toBe(
      `Cannot reach the node at http://127.0.0.1:${free}: ECONNREFUSED (is it running? anode start)`,
    );
  });

  it("exits 4 when the data directory has no token", async () => {
    const empty = tempDir("anode-client-empty-");
    try {
      const err = await NodeClient.connect({ dataDir: empty.path }, captureIo()).then(
        () => undefined,
        (e: unknown) => e as CliError,
      );
      expect(err?.exit).toBe(EXIT.UNAUTHORIZED);
      expect(err?.code).toBe("CLI_NO_TOKEN");
      expect(err?.message).toContain(join(empty.path, "api.token"));
    } finally {
      empty.remove();
    }
  });

  it("puts an IPv6 API host in brackets", async () => {
    const c = await NodeClient.connect(
      { dataDir: dir(), apiPort: port },
      captureIo({ env: { ANODE_API_HOST: "::1" } }),
    );
    expect(c.base).toBe(`http://[::1]:${port}`);
  });
});
