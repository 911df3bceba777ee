import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../src/p2p";
import { MAX_WANTED, WantList } from "../../../src/p2p/wantList";

function setup(connected = new Set(["a", "b", "c"])) {
  const clock = new VirtualClock();
  const asked: string[] = [];
  const broke: string[] = [];
  const list = new WantList(clock, 100, {
    canAsk: (p) => connected.has(p),
    ask: (p) => asked.push(p),
    brokePromise: (p) => broke.push(p),
  });
  return { clock, list, asked, broke };
}

const wanted = { id: Uint8Array.of(1), topic: "t" };

describe("WantList", () => {
  it("asks the first announcer after the timeout, then the next, reporting the one that did not deliver", () => {
    const { clock, list, asked, broke } = setup();
    list.announced("01", wanted, "a");
    list.announced("01", wanted, "b");
    list.announced("01", wanted, "a");
    clock.advance(99);
    expect(asked).toEqual([]);
    clock.advance(1);
    expect(asked).toEqual(["a"]);
    clock.advance(100);
    expect(asked).toEqual(["a", "b"]);
    expect(broke).toEqual(["a"]);
    clock.advance(100);
    expect(broke).toEqual(["a", "b"]);
    expect(list.size).toBe(0);
  });

  it("asks nobody once the message arrived", () => {
    const { clock, list, asked } = setup();
    list.announced("01", wanted, "a");
    list.arrived("01");
    clock.advance(1_000);
    expect(asked).toEqual([]);
  });

  it("skips announcers it cannot ask (gone, or scored too low)", () => {
    const { clock, list, asked } = setup(new Set(["b"]));
    list.announced("01", wanted, "a");
    list.announced("01", wanted, "b");
    clock.advance(100);
    expect(asked).toEqual(["b"]);
  });

  it(`awaits at most ${MAX_WANTED} messages`, () => {
    const { list } = setup();
    for (let i = 0; i < MAX_WANTED; i += 1) expect(list.announced(`${i}`, wanted, "a")).toBe(true);
    expect(list.announced("one more", wanted, "a")).toBe(false);
    list.clear();
    expect(list.size).toBe(0);
  });
});
