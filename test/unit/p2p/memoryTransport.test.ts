import { MAX_WIRE_BYTES, MemoryNetwork } from "../../../src/p2p";
import { transportCompliance } from "./transportCompliance";

/** Virtual time allowed per wait: far beyond any delay the suite's network has. */
const VIRTUAL_BOUND_MS = 60_000;

transportCompliance("memory", async () => {
  const net = new MemoryNetwork({ seed: 7, link: { latencyMs: 3, jitterMs: 4 } });
  return {
    a: net.transport("a"),
    b: net.transport("b"),
    listenAddress: "b:7000",
    nowhere: "c:7000",
    maxPayload: MAX_WIRE_BYTES,
    until: async (check, what) => {
      const result = net.clock.run({ until: check, deadline: net.clock.now() + VIRTUAL_BOUND_MS });
      if (result.stopped !== "done")
        throw new Error(`timed out waiting for ${what} (${result.stopped})`);
    },
    cleanup: async () => {},
  };
});
