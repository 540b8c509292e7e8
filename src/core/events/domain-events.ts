import { Injectable, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { discoveredMethods } from '../discovered-methods';

/**
 * A domain event: a fact one module states inside its transaction ("a
 * consultation was recorded"), that other modules act on in the same
 * transaction, so what they do commits with it or not at all. An event class
 * names itself once, in `type`; a search for that name finds the publisher
 * and every handler.
 */
export interface DomainEventClass<E extends object = object> {
  readonly type: string;
  new (...args: never[]): E;
}

export type DomainEventHandler<E extends object> = (m: EntityManager, event: E) => Promise<void>;

const ON_DOMAIN_EVENT = Symbol('tsunagu:on-domain-event');

/**
 * Marks a provider method as a handler of an event; it is called with the
 * publisher's entity manager, inside its transaction. Handlers are found at
 * start-up, as @JobHandler's are.
 */
export const OnDomainEvent =
  <E extends object>(event: DomainEventClass<E>) =>
  (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<DomainEventHandler<E>>) =>
    SetMetadata(ON_DOMAIN_EVENT, event.type)(target, key, descriptor);

/** Publishes domain events to the handlers discovered at start-up, one after the other. */
@Injectable()
export class DomainEvents implements OnModuleInit {
  private handlers = new Map<string, DomainEventHandler<object>[]>();

  constructor(
    readonly discovery: DiscoveryService,
    readonly scanner: MetadataScanner,
    readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.handlers = discoveredMethods<DomainEventHandler<object>>(this, ON_DOMAIN_EVENT);
  }

  /**
   * Events with nobody listening, for the command-line scripts that use a
   * service outside the application (they only create users and districts,
   * which no handler reacts to).
   */
  static withoutHandlers(): DomainEvents {
    return Object.create(DomainEvents.prototype, { handlers: { value: new Map() } }) as DomainEvents;
  }

  /** Runs every handler of the event in the caller's transaction; a handler that throws rolls it all back. */
  async publish<E extends object>(m: EntityManager, event: E): Promise<void> {
    const type = (event.constructor as DomainEventClass<E>).type;
    for (const handle of this.handlers.get(type) ?? []) await handle(m, event);
  }

  /** The event types that have handlers, for tests and documentation. */
  handledTypes(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
