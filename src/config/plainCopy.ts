/**
 * A deep copy into plain objects. Drops the null prototypes conf hands out and the
 * `undefined`s a CLI passes for flags it did not get; config data is JSON anyway.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
