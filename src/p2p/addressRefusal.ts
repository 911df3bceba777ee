import { isIP } from "node:net";
import { parseAddress } from "./parseAddress";

/** Hosts no peer can be dialed at: they mean "any interface" on the announcing machine. */
const UNSPECIFIED_HOSTS: ReadonlySet<string> = new Set(["0.0.0.0", "::", "[::]", ""]);
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

/**
 * Why an address learned from a peer is not worth dialing, or undefined when it is:
 * it must parse as host:port with a port above 0 and a host that is an IP address or a
 * plain host name, and not one that means "any interface".
 */
export function addressRefusal(address: string): string | undefined {
  let parsed: { host: string; port: number };
  try {
    parsed = parseAddress(address);
  } catch {
    return "not host:port";
  }
  if (parsed.port === 0) return "port 0";
  if (UNSPECIFIED_HOSTS.has(parsed.host)) return "unspecified host";
  if (isIP(parsed.host) === 0 && !HOST_NAME.test(parsed.host)) return "not a host name";
  return undefined;
}
