import type { TxStatus } from "../../../engines";

/** One line describing where a transaction is. */
export function formatStatus(s: TxStatus): string {
  switch (s.state) {
    case "unknown":
      return "unknown to this node";
    case "pending":
      return "pending";
    case "ordered":
      return `ordered at height ${s.height}, index ${s.index}`;
    case "executed":
    case "committed":
      return `${s.state} at height ${s.height}, index ${s.index}${s.ok ? "" : `, failed: ${s.error}`}`;
  }
}
