import type { CommandSpec } from "../../commandSpec";
import { paint, printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { validatorChangeCommands } from "./validatorChange";

interface ChainStatus {
  chainId: string;
  self: string;
  validator: boolean;
  height: number;
  round: number;
  step: string;
  proposer?: string;
  lastCommit?: { height: number; round: number; time: number };
  committedHeight: number;
  validators: Array<{ id: string; power: number; lastSeen: number | null }>;
  /** Why the chain stopped on this node (a divergence, or an activation waiting for its release). */
  halted?: string;
  /** The last block seen that did not extend this node's chain. */
  alarm?: string;
  activation?: { version: string; height: number; state: string };
  /** A validator change committed, in effect from `from`. */
  nextValidators?: { from: number; validators: Array<{ id: string; power: number }> };
}

const status: CommandSpec = {
  command: "status",
  describe: "consensus height, round, step, proposer, last commit and the validators seen",
  async handler({ options, io }) {
    const client = await (await loadClient()).NodeClient.connect(options, io);
    const s = await client.request<ChainStatus>("GET", "/v1/chain");
    if (options.json) {
      printJson(io, s);
      return 0;
    }
    const role = s.validator ? "validator" : "follower";
    println(
      io,
      `${paint(io, "bold", s.chainId)}  ${role}  height ${s.height}  round ${s.round}  step ${s.step}`,
    );
    if (s.halted !== undefined) println(io, `halted      ${paint(io, "red", s.halted)}`);
    if (s.alarm !== undefined && s.alarm !== s.halted)
      println(io, `alarm       ${paint(io, "yellow", s.alarm)}`);
    if (s.activation !== undefined)
      println(
        io,
        `activation  release ${s.activation.version} at height ${s.activation.height} (${s.activation.state})`,
      );
    println(io, `committed   ${s.committedHeight}`);
    println(io, `proposer    ${s.proposer ?? "-"}`);
    const last = s.lastCommit
      ? `height ${s.lastCommit.height}, ${Math.round((Date.now() - s.lastCommit.time) / 100) / 10}s ago`
      : "-";
    println(io, `last commit ${last}`);
    const now = Date.now();
    for (const v of s.validators) {
      const seen =
        v.lastSeen === null
          ? "never seen"
          : `seen ${Math.round((now - v.lastSeen) / 100) / 10}s ago`;
      const me = v.id === s.self ? " (this node)" : "";
      println(io, `  ${v.id}  power ${v.power}  ${seen}${me}`);
    }
    const next = s.nextValidators;
    if (next !== undefined) {
      println(io, `from height ${next.from}:`);
      for (const v of next.validators) println(io, `  ${v.id}  power ${v.power}`);
    }
    return 0;
  },
};

export const chainCommand: CommandSpec = {
  command: "chain",
  describe: "the consensus chain this node follows, and changes of its validators",
  subcommands: [status, ...validatorChangeCommands],
};
