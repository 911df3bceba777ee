import type { ServiceScope } from "./serviceConstants";

export type ServiceManagerKind = "systemd" | "launchd" | "winsw" | "schtasks";

export interface ServiceStatus {
  readonly installed: boolean;
  readonly running: boolean;
  /** The manager's own word for the state (`active`, `running`, `Stopped`, ...). */
  readonly state: string;
  readonly pid?: number;
}

/** One host service manager behind the five verbs of `anode service`. */
export interface ServiceManager {
  readonly kind: ServiceManagerKind;
  readonly scope: ServiceScope;
  /** Where the unit, plist or WinSW XML is written. */
  readonly definitionPath: string;
  /** Writes the definition and registers it to start at boot or login (does not start it). */
  install(): Promise<void>;
  /** Stops the service and removes its registration and definition; data stays. */
  uninstall(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
}
