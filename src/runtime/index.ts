export {
  BROKER_ENGINE,
  type BrokerDelivery,
  type BrokerEvent,
  filterAgentName,
  isBrokerDelivery,
} from "./broker";
export type { DirectMessage } from "./directMessage";
export { Directory, ScopedMailer } from "./directory";
export {
  DEFAULT_CALL_TIMEOUT_MS,
  Engine,
  type EngineOptions,
  type EngineStatus,
  errorMessage,
} from "./engine";
export type {
  AnyEngineModule,
  CallResult,
  EngineContext,
  EngineModule,
  From,
} from "./engineModule";
export {
  FilterCatalog,
  type FilterFactory,
  type Predicate,
  standardFilters,
} from "./filterCatalog";
export { FILTER_REGISTRY_ENGINE } from "./filterRegistry";
export {
  type ModuleChange,
  type ModuleSwapRecord,
  ModuleTable,
  type TableStartOptions,
} from "./moduleTable";
export { BrokerClient, type PubSubOptions, pubsubSpec } from "./pubsub";
export { Queue } from "./queue";
export { Registry } from "./registry";
export {
  type RemoteAccess,
  type RemoteLink,
  Router,
  RouterError,
  type RouterErrorType,
} from "./router";
export { RuntimeError, type RuntimeErrorType } from "./runtimeError";
export { type SpawnOptions, spawn } from "./spawn";
export { chainKey, type FilterSpec, type Subscriber, SubscriptionTable } from "./subscriptionTable";
export {
  type ChildSpec,
  type RestartType,
  type Strategy,
  Supervisor,
  type SupervisorOptions,
} from "./supervisor";
export {
  type Address,
  type Child,
  type ExitReason,
  isAbnormal,
  type Mailer,
  type RuntimeLogger,
  silentLogger,
} from "./types";
