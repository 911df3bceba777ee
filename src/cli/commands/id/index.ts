import type { CommandSpec } from "../../commandSpec";
import { printJson, println } from "../../io";
import { loadClient, loadP2P } from "../../lazy";

export const idCommand: CommandSpec = {
  command: "id",
  describe: "print this node's id (derived from its ed25519 key, created on first use)",
  async handler({ options, io }) {
    const { options: opts } = await (await loadClient()).loadCliConfig(options, io);
    const identity = await (await loadP2P()).loadOrCreateIdentity(opts.dataDir);
    if (options.json) {
      printJson(io, {
        id: identity.id,
        publicKey: Buffer.from(identity.publicKey).toString("base64"),
        dataDir: opts.dataDir,
      });
    } else println(io, identity.id);
    return 0;
  },
};
