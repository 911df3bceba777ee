import { isIP } from "node:net";
import { parseAddress } from "./parseAddress";

/** Hosts no peer can be dialed at: they mean "any interface" on the announcing machine. */
const UNSPECIFIED_HOSTS: ReadonlySet<string> = new Set(["0.0.0.0", "::", "[::]", ""]);
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

/** True for a host only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/**
 * Why an address learned from a peer is not worth dialing, or undefined when it is:
 * it must parse as host:port with a port above 0 and a host that is an IP address or a
 * plain host name, and not one that means "any interface"; a loopback address only from a
 * peer connected over loopback (`fromHost`).
 */
export function addressRefusal(address: string, fromHost?: string): string | undefined {
  let parsed: { host: string; port: number };
  try {
    parsed = parseAddress(address);
  } catch {
    return "not host:port";
  }
  if (parsed.port === 0) return "port 0";
  if (UNSPECIFIED_HOSTS.has(parsed.host)) return "unspecified host";
  if (isIP(parsed.host) === 0 && !HOST_NAME.test(parsed.host)) return "not a host name";
  // A loopback address means the sender's own machine, which is not ours unless the
  // sender is on ours too.
  if (fromHost !== undefined && isLoopbackHost(parsed.host) && !isLoopbackHost(fromHost)) {
    return "loopback from a remote peer";
  }
  return undefined;
}
