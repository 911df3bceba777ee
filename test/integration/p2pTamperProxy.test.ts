import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE_REASONS, encodeFrame, gossipId } from "../../src/p2p";
import { putTx } from "../support/kvTxs";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import {
  maskedBinaryFrame,
  startTamperProxy,
  type TamperProxy,
  type WsFrame,
} from "../support/tamperProxy";
import { tempDir } from "../support/tempDir";
import { eventually } from "../support/testnet";

const TOPIC = "p2p-tamper-probe";
/** Probe bodies are this big, so the frame carrying one stands out from votes and pings. */
const PROBE_BYTES = 24 * 1024;
const BIG_FRAME = 16 * 1024;
const AUTH_FAILED = CLOSE_REASONS.frame_auth_failed.code;

type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function apiOf(dir: string, port: number): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const token = readFileSync(join(dir, "api.token"), "utf8").trim();
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

interface PeersReply {
  nodeId: string;
  peers: Array<{ id: string }>;
  stats: { rejected?: Record<string, number> };
}

/** A probe: a marker the test can search for, padded so that its frame is big. */
function probe(label: string): string {
  const marker = `probe-${label}-${randomUUID()}`;
  return `${marker}:${"p".repeat(PROBE_BYTES)}`;
}

/**
 * Two real `anode start` processes, B dialing A through an on-path TCP proxy that can flip,
 * inject and replay websocket frames. Every tampering must close the link (A refuses the
 * frame with frame_auth_failed), A must accept nothing altered and keep working, and no
 * transaction or message body may show in the bytes the proxy saw.
 */
describe("p2p links through a tampering proxy", () => {
  const dirA = tempDir("anode-p2p-a-");
  const dirB = tempDir("anode-p2p-b-");
  let a: NodeProcess | undefined;
  let b: NodeProcess | undefined;
  let proxy: TamperProxy | undefined;
  let apiA: Api;
  let apiB: Api;
  let idB = "";
  /** Every probe body published through B, by marker. */
  const published: string[] = [];

  const peersOfA = () => apiA<PeersReply>("GET", "/v1/peers");
  const refusedByA = async () => (await peersOfA()).stats.rejected?.frame_auth_failed ?? 0;
  const linked = async () => (await peersOfA()).peers.some((p) => p.id === idB);
  const probesAtA = async () =>
    (
      await apiA<{ messages: Array<{ body: unknown }> }>("GET", `/v1/gossip?topic=${TOPIC}`)
    ).messages.map((m) => m.body);
  const publishThroughB = async (body: string) => {
    published.push(body);
    await apiB("POST", "/v1/gossip", { topic: TOPIC, body });
  };

  /** The link B-A is (back) up through the proxy. */
  const relinked = () => eventually(linked, 20_000, "B to (re)connect to A through the proxy");

  /** A refused `n` frames in all and closed the link with 4018, and nothing altered got in. */
  async function expectRefused(n: number): Promise<void> {
    await eventually(async () => (await refusedByA()) === n, 15_000, `A to refuse frame ${n}`);
    expect((proxy as TamperProxy).closes.down.filter((c) => c === AUTH_FAILED)).toHaveLength(n);
    for (const body of await probesAtA()) expect(published).toContain(body);
  }

  const big = (frame: WsFrame) => frame.payloadLength > BIG_FRAME;

  /** Waits until A has committed transaction `id`, which reached it through the proxy. */
  const committedAtA = (id: string) =>
    eventually(
      async () => {
        const reply = await apiA<{ status: { state: string } }>("GET", `/v1/tx/${id}?wait=1000`);
        return reply.status.state === "committed";
      },
      20_000,
      `transaction ${id} to commit on A`,
    );

  beforeAll(async () => {
    const p2pA = await freePort();
    const apiPortA = await freePort();
    const apiPortB = await freePort();
    a = await startNodeProcess(["--data-dir", dirA.path, "--api-port", String(apiPortA)], {
      // Peer exchange off on both: B would learn A's own address and go round the proxy.
      env: { ANODE_P2P_LISTEN: `127.0.0.1:${p2pA}`, ANODE_P2P_PEX: "false" },
    });
    apiA = apiOf(dirA.path, apiPortA);
    proxy = await startTamperProxy(p2pA);
    b = await startNodeProcess(["--data-dir", dirB.path, "--api-port", String(apiPortB)], {
      env: {
        ANODE_P2P_PEERS: JSON.stringify([{ address: `127.0.0.1:${proxy.port}` }]),
        ANODE_P2P_PEX: "false",
      },
    });
    apiB = apiOf(dirB.path, apiPortB);
    idB = (await apiB<PeersReply>("GET", "/v1/peers")).nodeId;
    await relinked();
  }, 60_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await proxy?.close();
    dirA.remove();
    dirB.remove();
  });

  it("carries a transaction and a message intact, with neither body visible on the path", async () => {
    const value = `secret-value-${randomUUID()}`;
    const key = `p2p-tamper-${randomUUID()}`;
    const sent = await apiB<{ id: string }>("POST", "/v1/tx", putTx(key, value));
    await committedAtA(sent.id);
    expect((await apiA<{ value?: unknown }>("GET", `/v1/state/${key}`)).value).toBe(value);

    const body = probe("intact");
    await publishThroughB(body);
    await eventually(async () => (await probesAtA()).includes(body), 15_000, "the probe at A");

    const p = proxy as TamperProxy;
    expect(p.captured().length).toBeGreaterThan(PROBE_BYTES);
    for (const secret of [value, key, body.slice(0, 50)]) {
      for (const seen of [p.captured(), p.payloads()]) {
        expect(seen.includes(Buffer.from(secret)), `${secret} is visible on the path`).toBe(false);
      }
    }
  });

  it("a flipped byte closes the link; the altered message is not accepted", async () => {
    const p = proxy as TamperProxy;
    const flipped = p.once("up", big, (frame, send) => {
      const bytes = Buffer.from(frame.bytes);
      const at = frame.payloadOffset + Math.floor(frame.payloadLength / 2);
      bytes[at] = (bytes[at] as number) ^ 0x20;
      send(bytes);
    });
    const body = probe("flipped");
    await publishThroughB(body);
    await flipped;
    await expectRefused(1);
    expect(await probesAtA()).not.toContain(body);
    await relinked();
  });

  it("injected bytes close the link, a forged message in the clear among them", async () => {
    const p = proxy as TamperProxy;
    const forged = `forged-${randomUUID()}`;
    // The proxy lets a real frame through, then slips its own after it: a gossip frame
    // from B's id in the clear, which protocol 1 would have delivered.
    const injected = p.once(
      "up",
      () => true,
      (frame, send) => {
        send(frame.bytes);
        const seq = 1;
        const gossip = encodeFrame({
          type: "gossip",
          id: gossipId(idB, seq, TOPIC),
          origin: idB,
          seq,
          topic: TOPIC,
          hops: 1,
          body: forged,
        });
        send(maskedBinaryFrame(gossip));
      },
    );
    await publishThroughB(probe("before-injection"));
    await injected;
    await expectRefused(2);
    expect(await probesAtA()).not.toContain(forged);
    await relinked();
  });

  it("a replayed frame closes the link; the original was accepted once", async () => {
    const p = proxy as TamperProxy;
    const replayed = p.once("up", big, (frame, send) => {
      send(frame.bytes);
      send(frame.bytes);
    });
    const body = probe("replayed");
    await publishThroughB(body);
    await replayed;
    await expectRefused(3);
    expect((await probesAtA()).filter((m) => m === body)).toHaveLength(1);
    await relinked();
  });

  it("afterwards both nodes still run and a transaction submitted through B commits on A", async () => {
    expect(a?.proc.exitCode).toBeNull();
    expect(b?.proc.exitCode).toBeNull();
    const key = `p2p-after-${randomUUID()}`;
    const sent = await apiB<{ id: string }>("POST", "/v1/tx", putTx(key, 7));
    await committedAtA(sent.id);
    expect(await refusedByA()).toBe(3);
    expect((proxy as TamperProxy).payloads().includes(Buffer.from(key))).toBe(false);
  });
});
