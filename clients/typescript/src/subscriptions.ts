import type { AlertFilters, SubscribeMessage, SubscriptionResponseFrame, UnsubscribeMessage, UpdateFiltersMessage }
  from './protocol.js';

type SubscriptionRequest = Omit<UpdateFiltersMessage, 'id'> | Omit<SubscribeMessage, 'id'> | Omit<UnsubscribeMessage, 'id'>;
export type SubscriptionSender = (body: SubscriptionRequest) => Promise<SubscriptionResponseFrame>;

/**
 * The groups and filters the application wants, re-applied on every connection (a new connection starts with all the
 * token's groups and no filters; docs/protocol.md, Groups). `groups` undefined: the server's default.
 */
export class Subscriptions {
  wantedGroups: string[] | undefined;
  wantedFilters: AlertFilters | null;
  /** The groups in force on the current connection, from its last `subscription_response`. */
  knownGroups: string[] | undefined;

  constructor(groups: string[] | undefined, filters: AlertFilters | null | undefined) {
    this.wantedGroups = groups ? unique(groups) : undefined;
    this.wantedFilters = filters ?? null;
  }

  /** A new connection: what the last one had says nothing about this one. */
  reset(): void {
    this.knownGroups = undefined;
  }

  learn(frame: SubscriptionResponseFrame): void {
    this.knownGroups = [...frame.groups];
  }

  /**
   * Reaches the wanted state: `update_filters` first (its answer also tells the groups in force), then `subscribe`
   * the missing groups and `unsubscribe` the extra ones.
   */
  async reconcile(send: SubscriptionSender): Promise<void> {
    this.learn(await send({ type: 'update_filters', filters: this.wantedFilters }));
    const wanted = this.wantedGroups;
    if (wanted === undefined) return;
    const add = wanted.filter((g) => !this.knownGroups?.includes(g));
    if (add.length > 0) this.learn(await send({ type: 'subscribe', groups: add }));
    const remove = (this.knownGroups ?? []).filter((g) => !wanted.includes(g));
    if (remove.length > 0) this.learn(await send({ type: 'unsubscribe', groups: remove }));
  }

  /** The wanted set after subscribing to more groups. */
  plusGroups(groups: string[]): string[] {
    return unique([...(this.wantedGroups ?? this.knownGroups ?? []), ...groups]);
  }

  /** The wanted set after dropping groups. */
  minusGroups(groups: string[]): string[] {
    return (this.wantedGroups ?? this.knownGroups ?? []).filter((g) => !groups.includes(g));
  }
}

function unique(groups: string[]): string[] {
  return [...new Set(groups)];
}
