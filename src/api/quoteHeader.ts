/** A refused header is quoted back (reply, log) at most this long; it is the sender's text. */
export const MAX_QUOTED_HEADER_CHARS = 64;

/**
 * A header value as it may appear in a message or a log line: anything but printable ASCII
 * replaced by "?", clipped (marked "..."), and quoted. "(none)" when the header is absent.
 */
export function quoteHeader(value: string | undefined): string {
  if (value === undefined) return "(none)";
  const printable = value.slice(0, MAX_QUOTED_HEADER_CHARS + 1).replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(
    printable.length > MAX_QUOTED_HEADER_CHARS
      ? `${printable.slice(0, MAX_QUOTED_HEADER_CHARS)}...`
      : printable,
  );
}
