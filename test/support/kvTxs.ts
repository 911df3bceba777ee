/** A kv transaction putting `value` at `key` (JSON as the API takes it). */
export function putTx(key: string, value: unknown, nonce?: string) {
  return {
    kind: "kv",
    reads: [],
    writes: [key],
    ops: [{ op: "put", key, value }],
    ...(nonce ? { nonce } : {}),
  };
}

/** A kv transaction incrementing `key`; the nonce keeps repeated increments distinct. */
export function incrTx(key: string, nonce: string) {
  return { kind: "kv", reads: [key], writes: [key], ops: [{ op: "increment", key }], nonce };
}
