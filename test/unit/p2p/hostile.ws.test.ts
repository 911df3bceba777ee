import { WsTransport } from "../../../src/p2p";
import { freePort } from "../../support/ports";
import { waitFor } from "./helpers";
import { hostilePeerSuite } from "./hostilePeers";

hostilePeerSuite("ws on 127.0.0.1", async () => ({
  transport: () => new WsTransport(),
  address: async () => `127.0.0.1:${await freePort()}`,
  deps: () => ({}),
  until: (check, what) => waitFor(check, 10_000, what),
}));
