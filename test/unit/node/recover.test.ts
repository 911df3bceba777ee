import { Packr } from "msgpackr";
import { afterEach, describe, expect, it } from "vitest";
import { decodeCommittedTx, txAuxKey } from "../../../src/engines";
import { recover } from "../../../src/node";
import { type Database, openDatabase, VersionedStore } from "../../../src/storage";
import { decodeValue, encodeTx, type KvTx, txId } from "../../../src/tx";
import { tempDir } from "../../support/tempDir";

const incr = (key: string, nonce: string): KvTx => ({
  kind: "kv",
  reads: [key],
  writes: [key],
  ops: [{ op: "increment", key }],
  nonce,
});

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function open(): Promise<{ db: Database; store: VersionedStore }> {
  const dir = tempDir();
  const db = await openDatabase(dir.path);
  const store = await VersionedStore.open(db);
  cleanup.push(() => dir.remove());
  cleanup.push(() => db.close());
  cleanup.push(() => store.close());
  return { db, store };
}

function submit(tx: KvTx) {
  return { type: "submit", id: txId(tx), tx: encodeTx(tx) };
}

describe("recover()", () => {
  it("re-executes blocks that were ordered but never committed, in order, and returns what is still pending", async () => {
    const { store } = await open();
    const txs = [incr("a", "1"), incr("a", "2"), incr("b", "3"), incr("a", "4")];
    await store.log.append(txs.map(submit));
    await store.log.append([
      { type: "order", height: 1, time: 1000, ids: [txId(txs[0] as KvTx), txId(txs[1] as KvTx)] },
    ]);
    await store.log.append([{ type: "order", height: 2, time: 2000, ids: [txId(txs[2] as KvTx)] }]);

    const r = await recover(store, store.log, { verify: true });

    expect(r.replayedBlocks).toBe(2);
    expect(r.height).toBe(2);
    expect(r.checkpointHeight).toBe(0);
    expect(r.pending.map((p) => p.id)).toEqual([txId(txs[3] as KvTx)]);
    expect(decodeValue((await store.read("a")) as Uint8Array)).toBe(2);
    expect(decodeValue((await store.read("b")) as Uint8Array)).toBe(1);
    const status = decodeCommittedTx(
      (await store.getAux(txAuxKey(txId(txs[1] as KvTx)))) as Uint8Array,
    );
    expect(status).toMatchObject({ height: 1, index: 1, ok: true });
    expect(r.root).toBe(await store.computeRoot());
    // The checkpoint of block 2 keeps the still-pending submission inside the replay window.
    expect(store.lastCheckpoint()?.logSeq).toBeLessThan(4);
  });

  it("a second recovery after the replay finds nothing more to do and keeps the pending transaction", async () => {
    const { store } = await open();
    const txs = [incr("a", "1"), incr("a", "2")];
    await store.log.append(txs.map(submit));
    await store.log.append([{ type: "order", height: 1, time: 1000, ids: [txId(txs[0] as KvTx)] }]);
    await recover(store, store.log, { verify: true });
    const again = await recover(store, store.log, { verify: true });
    expect(again.replayedBlocks).toBe(0);
    expect(again.pending.map((p) => p.id)).toEqual([txId(txs[1] as KvTx)]);
  });

  it("replays a block consensus 1.0.0 decided (the layout without parent and root)", async () => {
    const { store } = await open();
    const tx = incr("a", "1");
    // What a 1.0.0 node logged for a decided block: chain, height, time, proposer, txs.
    const block = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true }).pack(
      ["c0", 1, 1000, "p", [encodeTx(tx)]],
    );
    await store.log.append([{ type: "decide", height: 1, block, certificate: {} }]);
    const r = await recover(store, store.log, { verify: true });
    expect(r.replayedBlocks).toBe(1);
    expect(decodeValue((await store.read("a")) as Uint8Array)).toBe(1);
  });

  it("refuses a log that orders a transaction it never received", async () => {
    const { store } = await open();
    await store.log.append([{ type: "order", height: 1, time: 1, ids: ["f".repeat(64)] }]);
    await expect(recover(store, store.log, { verify: false })).rejects.toThrow(/never received/);
  });

  it("refuses a log that skips a height", async () => {
    const { store } = await open();
    const tx = incr("a", "1");
    await store.log.append([submit(tx), { type: "order", height: 3, time: 1, ids: [txId(tx)] }]);
    await expect(recover(store, store.log, { verify: false })).rejects.toThrow(/orders block 3/);
  });
});
