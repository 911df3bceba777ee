import type { EngineContext, EngineModule } from "./engineModule";
import { ROOT_KEY, type SubscriptionTable } from "./subscriptionTable";

/** Every event has a topic; the body is typed by whoever publishes it. */
export interface BrokerEvent {
  topic: string;
  body?: unknown;
  time?: number;
}

/** What a subscriber's handleInfo receives. */
export interface BrokerDelivery {
  type: "broker.event";
  tag: string | undefined;
  event: BrokerEvent;
}

export function isBrokerDelivery(msg: unknown): msg is BrokerDelivery {
  return (
    typeof msg === "object" && msg !== null && (msg as { type?: unknown }).type === "broker.event"
  );
}

export const BROKER_ENGINE = "broker";

export function filterAgentName(key: string): string {
  return `filter:${key}`;
}

/** Hands an event to the subscribers of one chain node and to its child filter agents. */
export function fanOut(
  table: SubscriptionTable,
  key: string,
  event: BrokerEvent,
  ctx: EngineContext,
): void {
  const node = table.get(key);
  if (!node) return;
  for (const s of node.subscribers.values()) {
    const delivery: BrokerDelivery = { type: "broker.event", tag: s.tag, event };
    ctx.send(s.address, delivery);
  }
  for (const child of node.children)
    ctx.cast({ engine: filterAgentName(child) }, { type: "event", event });
}

interface BrokerState {
  table: SubscriptionTable;
  published: number;
}

/** The top-level broker: every published event enters here. */
export const brokerEngine: EngineModule<BrokerState, { table: SubscriptionTable }> = {
  name: BROKER_ENGINE,
  version: "1.0.0",
  init: ({ table }) => ({ table, published: 0 }),
  handleCast(msg, state, ctx) {
    const m = msg as { type?: string; event?: BrokerEvent };
    if (m.type !== "publish" || !m.event || typeof m.event.topic !== "string") return state;
    fanOut(state.table, ROOT_KEY, m.event, ctx);
    return { ...state, published: state.published + 1 };
  },
  handleCall(msg, _from, state) {
    if ((msg as { type?: string }).type === "stats")
      return { reply: { published: state.published }, state };
    return { reply: undefined, state };
  },
};
