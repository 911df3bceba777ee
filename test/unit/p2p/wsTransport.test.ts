import { MAX_WIRE_BYTES, WsTransport } from "../../../src/p2p";
import { freePort } from "../../support/ports";
import { waitFor } from "./helpers";
import { transportCompliance } from "./transportCompliance";

transportCompliance("ws", async () => ({
  a: new WsTransport(),
  b: new WsTransport(),
  listenAddress: `127.0.0.1:${await freePort()}`,
  nowhere: `127.0.0.1:${await freePort()}`,
  maxPayload: MAX_WIRE_BYTES,
  until: (check, what) => waitFor(check, 10_000, what),
  cleanup: async () => {},
}));

transportCompliance("ws (unmasked)", async () => ({
  a: new WsTransport({ unmasked: true }),
  b: new WsTransport({ unmasked: true }),
  listenAddress: `127.0.0.1:${await freePort()}`,
  nowhere: `127.0.0.1:${await freePort()}`,
  maxPayload: MAX_WIRE_BYTES,
  until: (check, what) => waitFor(check, 10_000, what),
  cleanup: async () => {},
}));
