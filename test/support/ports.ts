import { createServer } from "node:net";

/**
 * Ports for tests, handed out so that two tests never race for one.
 *
 * Asking the OS for port 0 and closing the socket is racy: the number comes from the
 * ephemeral range (32768-60999 on Linux), and before the test binds it again, any
 * outgoing connection in any process (every websocket client, every HTTP request) may be
 * given that same number as its local port. CI saw exactly that ("127.0.0.1:42699 is in
 * use"). So tests take ports below the ephemeral range, from a slice of its own for each
 * vitest worker, two numbers at a time (a testnet's base port and base + 1 for its API),
 * and skip any number something is still listening on.
 */
const FIRST = 12_000;
const SLICE = 1_000;
const SLICES = 20; // 12000-31999, below net.ipv4.ip_local_port_range's 32768

function sliceStart(): number {
  const pool = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID);
  const index = Number.isInteger(pool) && pool > 0 ? pool - 1 : process.pid;
  return FIRST + (index % SLICES) * SLICE;
}

const start = sliceStart();
// A worker runs one file after another; start each file at a random point of the slice so
// a port a previous file's straggler still holds is unlikely to be tried first.
let next = Math.floor(Math.random() * (SLICE / 2)) * 2;

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * A port free on the given loopback address, with the next number also reserved for this
 * worker (free for a testnet's API port). Throws when the worker's slice is exhausted.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (let tried = 0; tried < SLICE / 2; tried++) {
    const port = start + next;
    next = (next + 2) % SLICE;
    if ((await canListen(port, host)) && (await canListen(port + 1, host))) return port;
  }
  throw new Error(`freePort: no free port pair in ${start}-${start + SLICE - 1} on ${host}`);
}
