import { P2PError } from "./p2pError";

const MAX_PORT = 65535;

/** Host and port of a "host:port" (or "[v6]:port") address. */
export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  const rawHost = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  const port = Number(portText);
  const host = rawHost.startsWith("[") && rawHost.endsWith("]") ? rawHost.slice(1, -1) : rawHost;
  if (colon <= 0 || host === "" || !/^\d+$/.test(portText) || port > MAX_PORT) {
    throw new P2PError(
      { code: "P2P_ADDRESS_INVALID", address },
      `Cannot use address "${address}": expected host:port`,
    );
  }
  return { host, port };
}
