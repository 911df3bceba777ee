/**
 * Decodes canonical base64 or returns undefined. Node's decoder skips characters it
 * does not know, so two different strings could name the same key; round-tripping
 * makes each key and signature have exactly one spelling.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? new Uint8Array(bytes) : undefined;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
