import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Connection, Listener, Transport } from "../../../src/p2p";

/** What one transport implementation provides to the shared suite. */
export interface TransportFixture {
  /** Dials. */
  readonly a: Transport;
  /** Listens at `listenAddress`. */
  readonly b: Transport;
  readonly listenAddress: string;
  /** An address where nothing listens. */
  readonly nowhere: string;
  readonly maxPayload: number;
  /** Lets time pass (real or virtual) until `check` holds; throws after a bound. */
  until(check: () => boolean, what: string): Promise<void>;
  cleanup(): Promise<void>;
}

interface Seen {
  opened: number;
  messages: Uint8Array[];
  closed: { code: number; reason: string }[];
}

function watch(conn: Connection): Seen {
  const seen: Seen = { opened: 0, messages: [], closed: [] };
  conn.setHandlers({
    onOpen: () => {
      seen.opened += 1;
    },
    onMessage: (data) => seen.messages.push(Uint8Array.from(data)),
    onClose: (code, reason) => seen.closed.push({ code, reason }),
  });
  return seen;
}

/**
 * The behaviour every Transport must have, run against each implementation (ws and
 * memory), so the node and the simulator rely on exactly the same semantics.
 */
export function transportCompliance(
  name: string,
  makeFixture: () => Promise<TransportFixture>,
): void {
  describe(`${name} transport compliance`, () => {
    let fx: TransportFixture;
    let listener: Listener | undefined;
    let accepted: { conn: Connection; seen: Seen }[];
    const open: Connection[] = [];

    beforeEach(async () => {
      fx = await makeFixture();
      accepted = [];
      listener = await fx.b.listen(fx.listenAddress, (conn) => {
        accepted.push({ conn, seen: watch(conn) });
        open.push(conn);
      });
    });

    afterEach(async () => {
      for (const conn of open.splice(0)) conn.close(1000, "test over");
      await listener?.close();
      await fx.cleanup();
    });

    async function connect(): Promise<{
      client: Connection;
      cs: Seen;
      server: Connection;
      ss: Seen;
    }> {
      const client = fx.a.dial(listener?.address ?? fx.listenAddress);
      open.push(client);
      const cs = watch(client);
      await fx.until(() => cs.opened === 1 && accepted.length === 1, "open");
      const server = accepted[0] as { conn: Connection; seen: Seen };
      return { client, cs, server: server.conn, ss: server.seen };
    }

    it("dial() opens a connection that the listener accepts", async () => {
      const { client, cs, server } = await connect();
      expect(cs.opened).toBe(1);
      expect(cs.closed).toEqual([]);
      expect(client.remoteAddress).toBe(listener?.address);
      expect(server.remoteAddress).toMatch(/.+:\d+$/);
    });

    it("what the acceptor sends at once arrives after the dialer's onOpen", async () => {
      const order: string[] = [];
      await listener?.close();
      listener = await fx.b.listen(fx.listenAddress, (conn) => {
        open.push(conn);
        conn.setHandlers({});
        conn.send(new Uint8Array([42]));
      });
      const client = fx.a.dial(listener.address);
      open.push(client);
      client.setHandlers({
        onOpen: () => order.push("open"),
        onMessage: (data) => order.push(`message ${data[0]}`),
      });
      await fx.until(() => order.length === 2, "greeting");
      expect(order).toEqual(["open", "message 42"]);
    });

    it("delivers messages intact and in order, both ways", async () => {
      const { client, cs, server, ss } = await connect();
      const sent = Array.from(
        { length: 100 },
        (_, i) => new Uint8Array(randomBytes(1 + ((i * 977) % 5000))),
      );
      for (const m of sent) client.send(m);
      for (const m of sent) server.send(m);
      await fx.until(() => ss.messages.length === 100 && cs.messages.length === 100, "messages");
      expect(ss.messages.map((m) => Buffer.from(m).toString("hex"))).toEqual(
        sent.map((m) => Buffer.from(m).toString("hex")),
      );
      expect(cs.messages.map((m) => Buffer.from(m).toString("hex"))).toEqual(
        sent.map((m) => Buffer.from(m).toString("hex")),
      );
    });

    it("the sender may reuse its buffer after send()", async () => {
      const { client, ss } = await connect();
      const buffer = new Uint8Array([1, 2, 3]);
      client.send(buffer);
      buffer.fill(9);
      await fx.until(() => ss.messages.length === 1, "message");
      expect([...(ss.messages[0] ?? [])]).toEqual([1, 2, 3]);
    });

    it("a close code and reason reach both sides once, whichever side closes", async () => {
      const first = await connect();
      first.client.close(4001, "wrong network id");
      await fx.until(
        () => first.cs.closed.length === 1 && first.ss.closed.length === 1,
        "client close",
      );
      expect(first.cs.closed).toEqual([{ code: 4001, reason: "wrong network id" }]);
      expect(first.ss.closed).toEqual([{ code: 4001, reason: "wrong network id" }]);

      accepted.length = 0;
      const second = await connect();
      second.server.close(4012, "rate limit exceeded");
      await fx.until(
        () => second.cs.closed.length === 1 && second.ss.closed.length === 1,
        "server close",
      );
      expect(second.cs.closed).toEqual([{ code: 4012, reason: "rate limit exceeded" }]);
      expect(second.ss.closed).toEqual([{ code: 4012, reason: "rate limit exceeded" }]);
    });

    it("messages sent before close() arrive before the close", async () => {
      const { client, ss } = await connect();
      client.send(new Uint8Array([7]));
      client.close(1000, "done");
      await fx.until(() => ss.closed.length === 1, "close");
      expect(ss.messages.map((m) => [...m])).toEqual([[7]]);
    });

    it("send() after close is ignored", async () => {
      const { client, cs, ss } = await connect();
      client.close(1000, "done");
      expect(() => client.send(new Uint8Array([1]))).not.toThrow();
      await fx.until(() => cs.closed.length === 1 && ss.closed.length === 1, "close");
      expect(() => client.send(new Uint8Array([1]))).not.toThrow();
      expect(ss.messages).toEqual([]);
    });

    it("a dial to an address where nothing listens fails with 1006 and never opens", async () => {
      const conn = fx.a.dial(fx.nowhere);
      const seen = watch(conn);
      await fx.until(() => seen.closed.length === 1, "failed dial");
      expect(seen.opened).toBe(0);
      expect(seen.closed[0]?.code).toBe(1006);
    });

    it("closing a dial before it opens ends it with one onClose", async () => {
      const conn = fx.a.dial(listener?.address ?? fx.listenAddress);
      const seen = watch(conn);
      conn.close(1000, "changed my mind");
      await fx.until(() => seen.closed.length === 1, "aborted dial");
      expect(seen.opened).toBe(0);
    });

    it("a listener that is closed accepts no new connections", async () => {
      await listener?.close();
      const conn = fx.a.dial(listener?.address ?? fx.listenAddress);
      listener = undefined;
      const seen = watch(conn);
      await fx.until(() => seen.closed.length === 1, "refused dial");
      expect(seen.opened).toBe(0);
      expect(accepted).toEqual([]);
    });

    it("delivers a frame of exactly the size limit", async () => {
      const { client, ss } = await connect();
      const big = new Uint8Array(randomBytes(fx.maxPayload));
      client.send(big);
      await fx.until(() => ss.messages.length === 1, "large frame");
      expect(Buffer.compare(ss.messages[0] ?? new Uint8Array(), big)).toBe(0);
    });

    it("a frame over the limit closes the connection with 1009 on both sides", async () => {
      const { client, cs, ss } = await connect();
      client.send(new Uint8Array(fx.maxPayload + 1));
      await fx.until(() => cs.closed.length === 1 && ss.closed.length === 1, "1009");
      expect(ss.messages).toEqual([]);
      expect(cs.closed[0]?.code).toBe(1009);
      expect(ss.closed[0]?.code).toBe(1009);
    });

    it("bufferedAmount grows with unsent data and drains back to zero", async () => {
      const { client, ss } = await connect();
      expect(client.bufferedAmount).toBe(0);
      const chunk = new Uint8Array(fx.maxPayload);
      const count = 32;
      for (let i = 0; i < count; i += 1) client.send(chunk);
      expect(client.bufferedAmount).toBeGreaterThan(0);
      expect(client.bufferedAmount).toBeLessThanOrEqual(count * (fx.maxPayload + 14));
      await fx.until(() => ss.messages.length === count && client.bufferedAmount === 0, "drain");
      expect(client.bufferedAmount).toBe(0);
    });
  });
}
