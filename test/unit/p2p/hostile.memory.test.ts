import { MemoryNetwork, seededRng } from "../../../src/p2p";
import { hostilePeerSuite } from "./hostilePeers";

const VIRTUAL_BOUND_MS = 60_000;

hostilePeerSuite("memory transport", async () => {
  const net = new MemoryNetwork({ seed: 99, link: { latencyMs: 2, jitterMs: 3 } });
  const rng = seededRng(5);
  return {
    transport: (host) => net.transport(host),
    address: async (host) => `${host}:7000`,
    deps: () => {
      const own = rng.fork();
      return { clock: net.clock, rng: own, randomBytes: (n: number) => own.bytes(n) };
    },
    until: async (check, what) => {
      const result = net.clock.run({ until: check, deadline: net.clock.now() + VIRTUAL_BOUND_MS });
      if (result.stopped !== "done")
        throw new Error(`timed out waiting for ${what} (${result.stopped})`);
    },
  };
});
