import { SetMetadata } from '@nestjs/common';

export const METRIC_SOURCE = Symbol('tsunagu:metric-source');

/** A gauge's value at scrape time: one number, or one per label set. */
export type MetricValue = number | { labels: Record<string, string>; value: number }[];
export type MetricSourceFn = () => Promise<MetricValue>;

export interface MetricSpec {
  /** Prometheus name, `tsunagu_...`. */
  name: string;
  help: string;
  labelNames?: string[];
}

/** What each source's gauge is, by its name; filled as the decorators run. */
export const METRIC_SPECS = new Map<string, MetricSpec>();

/**
 * Marks a provider method whose answer `/metrics` shows as a gauge, read at
 * scrape time (for example the open safety checks). Core knows no feature
 * module: the metrics service finds these at start-up, as the health
 * controller finds @ReadinessDetail.
 */
export const MetricSource = (spec: MetricSpec) => {
  METRIC_SPECS.set(spec.name, spec);
  return SetMetadata(METRIC_SOURCE, spec.name);
};
