import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { type ConfirmInput, confirm, terminalInput } from "./confirm";

interface UnblockReply {
  version: string;
  status: string;
  policy: "auto" | "notify" | "manual";
}

/**
 * `anode upgrade unblock <version>`: lifts an operator's rollback so the release can be
 * applied again. It asks first, because under policy auto lifting is re-applying.
 */
export function unblockCommand(input: () => ConfirmInput = terminalInput): CommandSpec {
  return {
    command: "unblock <version>",
    describe:
      "lift an operator's rollback of <version> so it can be applied again (asks to confirm)",
    options: [{ flags: "--yes", describe: "confirm without asking (for scripts)" }],
    examples: `Only a rollback can be lifted; a release that crashed, failed its health window or
equivocated stays refused. Under policy auto the release is applied again at once; under
notify or manual it waits for \`anode upgrade apply <version>\`.

  anode upgrade unblock 0.5.0          # asks on the terminal
  anode upgrade unblock 0.5.0 --yes    # scripts: stdin is not a terminal, so --yes is required`,
    async handler({ args, options, io }) {
      const version = args[0] as string;
      const o = options as GlobalOptions & { yes?: boolean };
      const answer = await confirm(
        `Lift the operator's rollback of release ${version} on this node, so it can be applied again?`,
        { yes: o.yes === true, input: input() },
      );
      if (answer === "cannot-ask") {
        throw cliError(
          EXIT.USAGE,
          "CLI_NOT_CONFIRMED",
          `Cannot unblock ${version}: stdin is not a terminal to confirm on; pass --yes`,
        );
      }
      if (answer === "no") {
        throw cliError(
          EXIT.FAILURE,
          "CLI_NOT_CONFIRMED",
          `Cannot unblock ${version}: not confirmed; nothing changed`,
        );
      }
      const client = await (await loadClient()).NodeClient.connect(o, io);
      const r = await client.request<UnblockReply>("POST", "/v1/upgrade/unblock", { version });
      if (o.json) printJson(io, r);
      else
        println(
          io,
          `rollback of ${r.version} lifted (${r.status}); ${r.policy === "auto" ? "policy auto applies it again on its turn" : `apply it with \`anode upgrade apply ${r.version}\``}`,
        );
      return EXIT.OK;
    },
  };
}
