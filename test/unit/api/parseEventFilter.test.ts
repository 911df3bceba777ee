import { describe, expect, it } from "vitest";
import { ApiError, parseEventFilter } from "../../../src/api";

const parse = (query: string) => parseEventFilter(new URL(`http://localhost/v1/events${query}`));

function refused(query: string): ApiError {
  try {
    parse(query);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("API_BAD_REQUEST");
    return err as ApiError;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe("parseEventFilter()", () => {
  it("is an empty chain without a query", () => {
    expect(parse("")).toEqual([]);
  });

  it("turns repeated and comma-separated topics into one topic filter", () => {
    expect(parse("?topic=tx.*&topic=block.committed,recovery.done&topic=")).toEqual([
      { name: "topic", params: ["tx.*", "block.committed", "recovery.done"] },
    ]);
  });

  it("reads a JSON list of filters, keeping params only when given", () => {
    const filter = JSON.stringify([
      { name: "field", params: { path: "ok", equals: false } },
      { name: "custom" },
    ]);
    expect(parse(`?filter=${encodeURIComponent(filter)}`)).toEqual([
      { name: "field", params: { path: "ok", equals: false } },
      { name: "custom" },
    ]);
  });

  it("accepts a single filter object, after the topic filter", () => {
    const filter = JSON.stringify({ name: "field", params: { path: "a", equals: 1 } });
    expect(parse(`?filter=${encodeURIComponent(filter)}&topic=x`)).toEqual([
      { name: "topic", params: ["x"] },
      { name: "field", params: { path: "a", equals: 1 } },
    ]);
  });

  it("refuses a filter that is not JSON", () => {
    expect(refused("?filter=%7Bnope").message).toBe(
      "Cannot subscribe: the filter query parameter is not valid JSON",
    );
  });

  it.each([["[1]"], ['[{"params":{}}]'], ["[null]"], ['{"name":3}']])(
    "refuses %s: each filter needs a name",
    (filter) => {
      expect(refused(`?filter=${encodeURIComponent(filter)}`).message).toBe(
        'Cannot subscribe: each filter needs a "name"',
      );
    },
  );

  it("refuses a chain longer than 16 links", () => {
    const filter = JSON.stringify(Array.from({ length: 16 }, () => ({ name: "f" })));
    expect(parse(`?filter=${encodeURIComponent(filter)}`)).toHaveLength(16);
    expect(refused(`?filter=${encodeURIComponent(filter)}&topic=t`).message).toBe(
      "Cannot subscribe: a filter chain has at most 16 links",
    );
  });
});
