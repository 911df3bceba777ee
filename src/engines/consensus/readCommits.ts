import { commitAuxKey, decodeCommitRecord } from "../executor/blockRecord";
import type { ChainState } from "./chainState";

/** At most this many commits per catch-up request, and one request in flight. */
export const MAX_COMMITS_PER_REQUEST = 32;
/** Blocks in one reply, which is one 1 MiB direct frame; always at least one commit. */
const MAX_REPLY_BLOCK_BYTES = 800 * 1024;

/** A peer's catch-up request: this chain's stored commits from a height on. */
export async function readCommits(
  state: ChainState,
  m: { chainId: string; from: number; max: number },
) {
  const store = state.args.store;
  if (m.chainId !== state.args.chain.chainId || !Number.isSafeInteger(m.from) || m.from < 1)
    return [];
  const max = Math.min(
    MAX_COMMITS_PER_REQUEST,
    Number.isSafeInteger(m.max) && m.max > 0 ? m.max : 1,
  );
  const last = Math.min(store.height, m.from + max - 1);
  const out: Array<{ height: number; block: Uint8Array; certificate: unknown }> = [];
  let size = 0;
  for (let h = m.from; h <= last; h++) {
    const bytes = await store.getAux(commitAuxKey(h));
    if (!bytes) break;
    const record = decodeCommitRecord(bytes);
    size += record.block.length;
    if (out.length > 0 && size > MAX_REPLY_BLOCK_BYTES) break;
    out.push({ height: h, block: record.block, certificate: record.certificate });
  }
  return out;
}
