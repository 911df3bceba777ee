import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CLOSE_REASONS,
  type Connection,
  decodeFrame,
  deriveLinkKeys,
  encodeFrame,
  ephemeralKey,
  type HelloFrame,
  LinkCipher,
} from "../../../src/p2p";
import { MemoryHarness } from "./memoryHarness";

/** One direction of the relay: what it reads from one side and writes to the other. */
interface Leg {
  hello: Uint8Array | undefined;
  forwarded: Uint8Array | undefined;
  cipher: LinkCipher | undefined;
}

/**
 * An active man in the middle on "m": it accepts the dialer's connection, dials the
 * victim, and puts its own ephemeral key in each hello it relays, so that it shares a key
 * with each side and can open, read and re-seal everything, the auth frames included.
 * Only the signatures over the transcripts stand in its way.
 */
async function manInTheMiddle(h: MemoryHarness, victim: string): Promise<{ opened: number }> {
  const seen = { opened: 0 };
  const transport = h.net.transport("m");
  await transport.listen("m:7000", (fromDialer: Connection) => {
    const dialed = transport.dial(victim);
    // What the dialer sends before the relay's own dial is open waits for it.
    let open = false;
    const queued: Uint8Array[] = [];
    const toVictim: Connection = {
      remoteAddress: dialed.remoteAddress,
      bufferedAmount: 0,
      send: (data) => (open ? dialed.send(data) : queued.push(data)),
      close: (code, reason) => dialed.close(code, reason),
      setHandlers: (handlers) =>
        dialed.setHandlers({
          ...handlers,
          onOpen: () => {
            open = true;
            for (const data of queued.splice(0)) dialed.send(data);
          },
        }),
    };
    const towardVictim = ephemeralKey(new Uint8Array(randomBytes(32)));
    const towardDialer = ephemeralKey(new Uint8Array(randomBytes(32)));
    const dialerLeg: Leg = { hello: undefined, forwarded: undefined, cipher: undefined };
    const victimLeg: Leg = { hello: undefined, forwarded: undefined, cipher: undefined };
    const keyUp = (): void => {
      if (dialerLeg.hello === undefined || victimLeg.hello === undefined) return;
      const theirs = (bytes: Uint8Array) => (decodeFrame(bytes) as HelloFrame).ephemeralKey;
      // With the dialer, the relay is the victim whose hello it forwarded; and vice versa.
      const withDialer = deriveLinkKeys({
        own: towardDialer,
        theirs: theirs(dialerLeg.hello) as Uint8Array,
        ownHello: victimLeg.forwarded as Uint8Array,
        theirHello: dialerLeg.hello,
      });
      const withVictim = deriveLinkKeys({
        own: towardVictim,
        theirs: theirs(victimLeg.hello) as Uint8Array,
        ownHello: dialerLeg.forwarded as Uint8Array,
        theirHello: victimLeg.hello,
      });
      if (withDialer === undefined || withVictim === undefined) throw new Error("no keys");
      dialerLeg.cipher = new LinkCipher(withDialer.sendKey, withDialer.receiveKey);
      victimLeg.cipher = new LinkCipher(withVictim.sendKey, withVictim.receiveKey);
    };
    const relay =
      (leg: Leg, own: typeof towardVictim, out: Connection, other: () => Leg) =>
      (data: Uint8Array): void => {
        if (leg.hello === undefined) {
          leg.hello = data;
          const hello = decodeFrame(data) as HelloFrame;
          leg.forwarded = encodeFrame({ ...hello, ephemeralKey: own.publicKey });
          out.send(leg.forwarded);
          keyUp();
          return;
        }
        const plain = leg.cipher?.open(data);
        if (plain === undefined) throw new Error("the relay could not open a frame");
        seen.opened += 1;
        out.send((other().cipher as LinkCipher).seal(plain));
      };
    fromDialer.setHandlers({
      onMessage: relay(dialerLeg, towardVictim, toVictim, () => victimLeg),
      onClose: (code, reason) => toVictim.close(code, reason),
    });
    toVictim.setHandlers({
      onMessage: relay(victimLeg, towardDialer, fromDialer, () => dialerLeg),
      onClose: (code, reason) => fromDialer.close(code, reason),
    });
  });
  return seen;
}

describe("a man in the middle", () => {
  it("who swaps the ephemeral keys and re-seals every frame gets no link authenticated", async () => {
    const h = new MemoryHarness(3);
    const victim = h.node("v");
    await victim.node.start();
    const mitm = await manInTheMiddle(h, "v:7000");
    const dialer = h.node("d", { peers: [{ address: "m:7000", id: victim.identity.id }] });
    await dialer.node.start();
    h.until(
      () => victim.seen.rejected.length > 0 && dialer.seen.rejected.length > 0,
      "both sides to refuse",
    );
    // The relay opened both auth frames, yet each signature covers its signer's transcript.
    expect(mitm.opened).toBeGreaterThanOrEqual(1);
    const badSignature = CLOSE_REASONS.bad_signature.code;
    expect(victim.seen.rejected.map((r) => r.code)).toContain(badSignature);
    expect(victim.seen.up).toEqual([]);
    expect(dialer.seen.up).toEqual([]);
    expect(victim.node.stats().rejected.bad_signature).toBeGreaterThanOrEqual(1);
  });
});
