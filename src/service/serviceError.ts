import { NodeError } from "../errors";

export type ServiceErrorCode =
  /** No service manager on this host (no systemd in a container, no launchd, no SCM). */
  | "SERVICE_MANAGER_ABSENT"
  /** The service is not installed, so it cannot be started, stopped or removed. */
  | "SERVICE_NOT_INSTALLED"
  /** Writing the definition needs rights this user lacks. */
  | "SERVICE_PERMISSION"
  /** The service manager refused a command. */
  | "SERVICE_COMMAND_FAILED"
  /** The request cannot be met on this platform (for example a missing WinSW wrapper). */
  | "SERVICE_UNSUPPORTED";

export class ServiceError extends NodeError<{ code: ServiceErrorCode }> {}

export function serviceError(code: ServiceErrorCode, message: string, cause?: unknown) {
  return new ServiceError({ code }, message, cause === undefined ? undefined : { cause });
}
