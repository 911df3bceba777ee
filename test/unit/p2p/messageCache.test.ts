import { describe, expect, it } from "vitest";
import { MessageCache } from "../../../src/p2p/messageCache";

const msg = (n: number, topic = "t") => ({
  id: Uint8Array.of(n),
  topic,
  bytes: Uint8Array.of(n, n),
});

describe("MessageCache", () => {
  it("get() returns a message for `windows` heartbeats, then forgets it", () => {
    const cache = new MessageCache({ windows: 3, gossipWindows: 2, maxEntries: 100 });
    cache.put("01", msg(1));
    cache.shift();
    cache.shift();
    expect(cache.get("01")?.bytes).toEqual(Uint8Array.of(1, 1));
    cache.shift();
    expect(cache.get("01")).toBeUndefined();
  });

  it("gossipIds() announces only the last gossipWindows heartbeats of a topic, newest first", () => {
    const cache = new MessageCache({ windows: 5, gossipWindows: 2, maxEntries: 100 });
    cache.put("01", msg(1));
    cache.shift();
    cache.put("02", msg(2));
    cache.put("03", msg(3, "other"));
    cache.shift();
    cache.put("04", msg(4));
    expect(cache.gossipIds("t").map((id) => id[0])).toEqual([4, 2]);
    expect([...cache.gossipTopics()].sort()).toEqual(["other", "t"]);
    expect(cache.get("01")).toBeDefined();
  });

  it("put() of a message held already moves it to the current window", () => {
    const cache = new MessageCache({ windows: 2, gossipWindows: 1, maxEntries: 100 });
    cache.put("01", msg(1));
    cache.shift();
    cache.put("01", msg(1));
    cache.shift();
    expect(cache.get("01")).toBeDefined();
    expect(cache.size).toBe(1);
  });

  it("holds at most maxEntries, dropping the oldest first", () => {
    const cache = new MessageCache({ windows: 5, gossipWindows: 5, maxEntries: 2 });
    cache.put("01", msg(1));
    cache.shift();
    cache.put("02", msg(2));
    cache.put("03", msg(3));
    expect(cache.get("01")).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
