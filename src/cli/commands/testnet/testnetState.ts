import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";
import type { TestnetNetwork } from "./netns";

export interface TestnetNode {
  index: number;
  id: string;
  host: string;
  p2pPort: number;
  apiPort: number;
  dir: string;
  config: string;
  log: string;
  pid: number | null;
  /** Ids of the nodes it is linked to, either direction. */
  neighbours: string[];
  /** With `--netns`: the network namespace it runs in. */
  netns?: string;
}

export interface TestnetState {
  networkId: string;
  createdAt: string;
  nodes: TestnetNode[];
  /** With `--netns`: the bridge and namespaces, made again by `up` if missing. */
  net?: TestnetNetwork;
  /** How many times the base consensus timeouts its nodes run with (see testnetTimeouts). */
  timeoutScale?: number;
}

export const STATE_FILE = "testnet.json";

export async function readTestnet(dir: string): Promise<TestnetState | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const state = JSON.parse(text) as TestnetState;
    if (!Array.isArray(state.nodes)) throw new Error("no nodes");
    return state;
  } catch (err) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_TESTNET",
      `Cannot read ${join(dir, STATE_FILE)}: ${(err as Error).message}`,
    );
  }
}

export async function requireTestnet(dir: string): Promise<TestnetState> {
  const state = await readTestnet(dir);
  if (!state)
    throw cliError(
      EXIT.NOT_FOUND,
      "CLI_NO_TESTNET",
      `Cannot find a testnet in ${dir} (anode testnet up -n N --dir ${dir})`,
    );
  return state;
}

/** Written to a temporary file and renamed, so a crash never leaves half a state file. */
export async function writeTestnet(dir: string, state: TestnetState): Promise<void> {
  const file = join(dir, STATE_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}
