import type { CommitCertificate } from "./certificate";
import type { Equivocation } from "./evidence";
import type { ConsensusMessage } from "./messages";
import type { TimeoutKind } from "./timeouts";
import type { ConsensusValue } from "./values";

/** Sign with the node key, send to the chain's validators, and feed back as a `message` input. */
export interface BroadcastOutput {
  readonly type: "broadcast";
  readonly message: ConsensusMessage;
}

/** Deliver a `timeout` input with the same kind, height and round after `durationMs`. */
export interface ScheduleTimeoutOutput {
  readonly type: "scheduleTimeout";
  readonly kind: TimeoutKind;
  readonly height: number;
  readonly round: number;
  readonly durationMs: number;
}

/** This node proposes at (height, round): answer with a `proposalValue` input. */
export interface RequestValueOutput {
  readonly type: "requestValue";
  readonly height: number;
  readonly round: number;
}

/** `value` is committed at `height`; store it with the certificate, then `start(height + 1)`. */
export interface DecideOutput {
  readonly type: "decide";
  readonly height: number;
  readonly round: number;
  readonly value: ConsensusValue;
  readonly certificate: CommitCertificate;
}

/** A validator equivocated; the engine logs, stores or gossips the proof. */
export interface EvidenceOutput {
  readonly type: "evidence";
  readonly evidence: Equivocation;
}

export type ConsensusOutput =
  | BroadcastOutput
  | ScheduleTimeoutOutput
  | RequestValueOutput
  | DecideOutput
  | EvidenceOutput;
