import { MemoryNetwork, type P2PNodeOptions, type Rng, seededRng } from "../../../src/p2p";
import { recordingNode, type TestNode } from "./helpers";
import { type RawPeer, rawPeer } from "./rawPeer";

const VIRTUAL_BOUND_MS = 300_000;

/** Nodes on one memory network, with helpers to run virtual time. */
export class MemoryHarness {
  readonly net: MemoryNetwork;
  private readonly rng = seededRng(77);

  constructor(seed = 1) {
    this.net = new MemoryNetwork({ seed, link: { latencyMs: 5 } });
  }

  /** A hand-driven peer on `host`, through its handshake and linked to `node`. */
  rawPeer(node: TestNode, host: string): RawPeer {
    const peer = rawPeer(this.net.transport(host), node.node.listenAddress as string);
    this.until(() => peer.theirHello !== undefined, "their hello");
    peer.hello();
    peer.auth();
    this.until(() => node.node.peers().some((p) => p.id === peer.identity.id), "raw peer up");
    return peer;
  }

  node(host: string, options: Partial<P2PNodeOptions> = {}, rng?: Rng): TestNode {
    const own = this.rng.fork();
    return recordingNode(
      this.net.transport(host),
      { listen: `${host}:7000`, ...options },
      { clock: this.net.clock, rng: rng ?? own, randomBytes: (n) => own.bytes(n) },
    );
  }

  until(check: () => boolean, what = "condition"): void {
    const result = this.net.clock.run({
      until: check,
      deadline: this.net.clock.now() + VIRTUAL_BOUND_MS,
    });
    if (result.stopped !== "done")
      throw new Error(`timed out waiting for ${what} (${result.stopped})`);
  }

  advance(ms: number): void {
    this.net.clock.advance(ms);
  }
}
