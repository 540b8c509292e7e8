import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

/**
 * Every provider method marked with `key` (@JobHandler, @OnDomainEvent),
 * bound to its instance and grouped by the decorator's value. Called once at
 * start-up.
 */
export function discoveredMethods<F extends Function>(
  nest: { discovery: DiscoveryService; scanner: MetadataScanner; reflector: Reflector },
  key: string | symbol,
): Map<string, F[]> {
  const found = new Map<string, F[]>();
  for (const wrapper of nest.discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object') continue;
    for (const method of nest.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
      const fn = instance[method];
      if (typeof fn !== 'function') continue;
      const value = nest.reflector.get<string | undefined>(key, fn);
      if (value) found.set(value, [...(found.get(value) ?? []), (fn as F).bind(instance) as F]);
    }
  }
  return found;
}
