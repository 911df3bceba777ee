import type { TxStatus } from "../../../engines";
import type { NodeClient } from "../../client/nodeClient";
import { EXIT } from "../../exitCodes";
import { type Io, paint, println } from "../../io";
import { formatStatus } from "./formatStatus";

/** Waits for commit through the node, in slices the API allows, until `timeoutMs`. */
export async function waitCommitted(
  client: NodeClient,
  id: string,
  timeoutMs: number,
): Promise<TxStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = Math.max(1, Math.min(deadline - Date.now(), 120_000));
    const r = await client.request<{ status: TxStatus }>("GET", `/v1/tx/${id}?wait=${left}`);
    if (r.status.state === "committed" || r.status.state === "unknown" || Date.now() >= deadline)
      return r.status;
  }
}

export function report(io: Io, id: string, status: TxStatus, duplicate = false): number {
  const note = duplicate ? " (duplicate: already known)" : "";
  println(io, `${paint(io, "bold", id)} ${formatStatus(status)}${note}`);
  return exitFor(status);
}

export function exitFor(status: TxStatus): number {
  if (status.state === "unknown") return EXIT.NOT_FOUND;
  if ((status.state === "committed" || status.state === "executed") && !status.ok)
    return EXIT.FAILURE;
  return EXIT.OK;
}
