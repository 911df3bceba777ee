/** JSON has no bytes: they travel as `{ "$bytes": base64 }`, the form transactions accept. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  return value;
}
