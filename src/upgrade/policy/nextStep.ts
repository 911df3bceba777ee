/** What the engine should do next with one accepted release. */
export type NextStep = "fetch" | "wait-for-operator" | "wait-for-turn" | "apply" | "none";

export interface NextStepInput {
  policy: "auto" | "notify" | "manual";
  /** All artifacts this node needs are held and verified. */
  complete: boolean;
  /** The operator asked for it (`upgrade apply`). */
  approved: boolean;
  /** Now is past this node's turn in the staged rollout. */
  turnCome: boolean;
}

/**
 * The policy as a pure decision. auto fetches, then applies on its turn; notify fetches,
 * then waits for `upgrade apply`; manual waits for `upgrade apply` before fetching too.
 * An operator's approval skips the rollout turn: they chose this node.
 */
export function nextStep(s: NextStepInput): NextStep {
  const mayFetch = s.policy !== "manual" || s.approved;
  if (!s.complete) return mayFetch ? "fetch" : "wait-for-operator";
  if (s.approved) return "apply";
  if (s.policy !== "auto") return "wait-for-operator";
  return s.turnCome ? "apply" : "wait-for-turn";
}
