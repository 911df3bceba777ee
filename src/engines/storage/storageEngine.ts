import type { EngineModule } from "../../runtime";
import { type Database, exportSnapshot, VersionedStore } from "../../storage";
import { decodeValue, type KvValue } from "../../tx";
import { STORAGE } from "../names";

export interface StorageArgs {
  store: VersionedStore;
}

export type StorageCall =
  | { type: "read"; key: string; at?: number; timeoutMs?: number }
  | { type: "history"; key: string; limit?: number }
  | { type: "status" }
  | { type: "root"; at: number }
  | { type: "export"; file: string; at?: number }
  | { type: "expunge"; key: string; reason: string };

export interface ReadReply {
  key: string;
  at: number;
  found: boolean;
  value?: KvValue;
}

export interface StorageStatus {
  height: number;
  root: string;
  checkpoint: { height: number; root: string; logSeq: number; time: number } | undefined;
}

/**
 * The storage module also opens the store its subtree runs on, so the store's own code
 * (the VersionedStore class) is the module's: a release whose storage instruction is
 * `restart` restarts the transaction subtree, and the store is opened again by the new
 * module. A `swap` keeps the open store (its class is the one that opened it).
 */
export interface StorageModule extends EngineModule<StorageArgs, StorageArgs> {
  openStore(db: Database): Promise<VersionedStore>;
}

/**
 * Answers reads of the versioned state. Reads run concurrently with the mailbox (a read
 * at a height not yet reached waits without blocking other reads); commits come from the
 * executor straight to the store, which orders them itself.
 */
export const storageEngine: StorageModule = {
  name: STORAGE,
  version: "1.0.0",
  openStore: (db) => VersionedStore.open(db),
  init: (args) => args,
  handleCall(msg, from, state, ctx) {
    const m = msg as StorageCall;
    const { store } = state;
    switch (m.type) {
      case "read": {
        const at = m.at ?? store.height;
        store.read(m.key, at, m.timeoutMs === undefined ? {} : { timeoutMs: m.timeoutMs }).then(
          (bytes) => ctx.reply(from, toReadReply(m.key, at, bytes)),
          (err: unknown) => ctx.replyError(from, err),
        );
        return { noreply: true, state };
      }
      case "history": {
        store.history(m.key, m.limit === undefined ? {} : { limit: m.limit }).then(
          (versions) =>
            ctx.reply(
              from,
              versions.map((v) => ({
                height: v.height,
                index: v.index,
                ...(v.value === undefined ? { deleted: true } : { value: decodeValue(v.value) }),
              })),
            ),
          (err: unknown) => ctx.replyError(from, err),
        );
        return { noreply: true, state };
      }
      case "status": {
        const status: StorageStatus = {
          height: store.height,
          root: store.root,
          checkpoint: store.lastCheckpoint(),
        };
        return { reply: status, state };
      }
      case "root": {
        // A full scan: for checks and tests that compare nodes height by height.
        store.computeRoot(m.at).then(
          (root) => ctx.reply(from, { height: m.at, root }),
          (err: unknown) => ctx.replyError(from, err),
        );
        return { noreply: true, state };
      }
      case "export": {
        exportSnapshot(store, m.file, m.at === undefined ? {} : { at: m.at }).then(
          (info) => ctx.reply(from, info),
          (err: unknown) => ctx.replyError(from, err),
        );
        return { noreply: true, state };
      }
      case "expunge": {
        store.expunge(m.key, m.reason).then(
          (removed) => ctx.reply(from, { removed }),
          (err: unknown) => ctx.replyError(from, err),
        );
        return { noreply: true, state };
      }
      default:
        // An unknown internal message is a bug upstream: crash so supervision recovers.
        throw new Error(`storage: unexpected call ${JSON.stringify(msg)}`);
    }
  },
  handleCast(msg) {
    throw new Error(`storage: unexpected cast ${JSON.stringify(msg)}`);
  },
};

function toReadReply(key: string, at: number, bytes: Uint8Array | undefined): ReadReply {
  return bytes === undefined
    ? { key, at, found: false }
    : { key, at, found: true, value: decodeValue(bytes) };
}
