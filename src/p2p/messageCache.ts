/** One cached message: what an IWANT for it is answered with. */
export interface CachedMessage {
  readonly id: Uint8Array;
  readonly topic: string;
  /** The frame as this node relays it (hops already incremented). */
  readonly bytes: Uint8Array;
}

export interface MessageCacheOptions {
  /** Heartbeats a message stays fetchable (GossipSub's mcache_len). */
  readonly windows: number;
  /** The most recent heartbeats whose ids are announced (mcache_gossip), at most `windows`. */
  readonly gossipWindows: number;
  /** Bound on messages held across all windows; the oldest window loses them first. */
  readonly maxEntries: number;
}

/**
 * GossipSub's message cache: the messages of the last few heartbeats, by id, in windows
 * that shift once a heartbeat. What a node has relayed or published stays fetchable by
 * IWANT for `windows` heartbeats and is announced (IHAVE) for the last `gossipWindows`.
 */
export class MessageCache {
  private readonly byId = new Map<string, CachedMessage>();
  private windows: string[][] = [[]];

  constructor(private readonly options: MessageCacheOptions) {}

  get size(): number {
    return this.byId.size;
  }

  /** Adds a message to the current window; a message held already moves to it. */
  put(idHex: string, message: CachedMessage): void {
    if (this.byId.has(idHex)) {
      for (const window of this.windows) {
        const at = window.indexOf(idHex);
        if (at >= 0) window.splice(at, 1);
      }
    }
    while (this.byId.size >= this.options.maxEntries && this.evictOldest()) {}
    this.byId.set(idHex, message);
    this.windows[0]?.push(idHex);
  }

  get(idHex: string): CachedMessage | undefined {
    return this.byId.get(idHex);
  }

  /** Ids of `topic` from the last gossipWindows heartbeats, newest first. */
  gossipIds(topic: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    const windows = this.windows.slice(0, this.options.gossipWindows);
    for (const window of windows) {
      for (let i = window.length - 1; i >= 0; i -= 1) {
        const message = this.byId.get(window[i] as string);
        if (message !== undefined && message.topic === topic) out.push(message.id);
      }
    }
    return out;
  }

  /** Topics with something to announce. */
  gossipTopics(): Set<string> {
    const topics = new Set<string>();
    for (const window of this.windows.slice(0, this.options.gossipWindows)) {
      for (const idHex of window) {
        const message = this.byId.get(idHex);
        if (message !== undefined) topics.add(message.topic);
      }
    }
    return topics;
  }

  /** The heartbeat: a new current window; the oldest beyond `windows` is forgotten. */
  shift(): void {
    this.windows.unshift([]);
    while (this.windows.length > this.options.windows) {
      for (const idHex of this.windows.pop() ?? []) this.byId.delete(idHex);
    }
  }

  private evictOldest(): boolean {
    for (let w = this.windows.length - 1; w >= 0; w -= 1) {
      const window = this.windows[w] as string[];
      const idHex = window.shift();
      if (idHex !== undefined) {
        this.byId.delete(idHex);
        return true;
      }
    }
    return false;
  }
}
