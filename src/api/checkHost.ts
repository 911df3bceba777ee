import { ApiError } from "./apiError";
import { quoteHeader } from "./quoteHeader";

/**
 * No name the API answers to is longer (`[` + an IPv6 address of 39 + `]:65535` is 47), so a
 * longer Host is refused without being parsed.
 */
export const MAX_HOST_HEADER_CHARS = 64;
const MAX_PORT = 65_535;

/** What the control API answers to besides the address it is bound to. */
const LOOPBACK_NAMES = ["localhost", "[::1]"];
const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
/** 127.0.0.0/8 as browsers write it: four decimal octets without leading zeros. */
const IPV4_LOOPBACK = new RegExp(`^127(?:\\.${OCTET}){3}$`);

/**
 * Whether a request's Host header names this API: a loopback literal (127.0.0.0/8, [::1]),
 * `localhost` or the bound address, with any port or none. The API listens on loopback
 * only, but a page whose own DNS name re-resolves to 127.0.0.1 (DNS rebinding) reaches it
 * with `Host: <that name>` and reads the answers as same-origin; no such name passes. The
 * port is not compared: a tunnel (`ssh -L 8000:127.0.0.1:7710`) legitimately changes it,
 * and a rebinding page is told apart by its name. Returns the refusal, or undefined.
 */
export function checkHost(host: string | undefined, bound: string): ApiError | undefined {
  if (host === undefined || host === "") {
    return new ApiError(
      { code: "API_HOST_REFUSED", host: "(none)" },
      "Cannot serve request: the Host header is missing, so it is not a loopback name (send Host: 127.0.0.1:<port> or localhost:<port>)",
    );
  }
  if (host.length <= MAX_HOST_HEADER_CHARS && namesLoopback(host.toLowerCase(), bound)) {
    return undefined;
  }
  const quoted = quoteHeader(host);
  return new ApiError(
    { code: "API_HOST_REFUSED", host: quoted },
    `Cannot serve request: the Host header ${quoted} is not a loopback name (the control API answers only to 127.0.0.1, [::1] or localhost; a web page under another name may be trying DNS rebinding)`,
  );
}

function namesLoopback(host: string, bound: string): boolean {
  const colon = host.lastIndexOf(":");
  // A colon inside brackets belongs to an IPv6 address, not to a port.
  const hasPort = colon !== -1 && colon > host.lastIndexOf("]");
  const name = hasPort ? host.slice(0, colon) : host;
  if (hasPort && !isPort(host.slice(colon + 1))) return false;
  const boundName = bound.includes(":") ? `[${bound.toLowerCase()}]` : bound.toLowerCase();
  return LOOPBACK_NAMES.includes(name) || IPV4_LOOPBACK.test(name) || name === boundName;
}

function isPort(text: string): boolean {
  return /^[1-9][0-9]{0,4}$/.test(text) && Number(text) <= MAX_PORT;
}
