import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { discoveredMethods } from '../discovered-methods';
import { JobQueue } from '../queue/job-queue.service';
import { METRIC_SOURCE, METRIC_SPECS, MetricSourceFn } from './metric-source';

/** The job states a queue's depth is shown in. */
const JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/**
 * The Prometheus series of this process (README, "Metrics"). One registry
 * per application, not prom-client's global one, so that several apps in one
 * process (the tests) do not collide. Values that live in PostgreSQL or
 * Redis (queues, outbox, safety checks) are read at scrape time, so every
 * process shows the same figures; HTTP and notification counts are this
 * process's own.
 */
@Injectable()
export class Metrics implements OnModuleInit {
  readonly registry = new Registry();

  private readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code: count and latency',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly delivered = new Counter({
    name: 'tsunagu_notifications_delivered_total',
    help: 'In-app notifications delivered by this process (one per user and event)',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor(
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
    readonly discovery: DiscoveryService,
    readonly scanner: MetadataScanner,
    readonly reflector: Reflector,
  ) {
    collectDefaultMetrics({ register: this.registry });
  }

  onModuleInit(): void {
    const jobs = this.jobs;
    new Gauge({
      name: 'tsunagu_queue_jobs',
      help: 'Jobs per queue and state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of jobs.all()) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    const db = this.db;
    const outbox = async () =>
      (
        (await db.query(
          `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age
             FROM outbox WHERE sent_at IS NULL`,
        )) as { n: number; age: number }[]
      )[0];
    new Gauge({
      name: 'tsunagu_outbox_backlog',
      help: 'Outbox rows not yet moved to the queue',
      registers: [this.registry],
      async collect() {
        this.set((await outbox()).n);
      },
    });
    new Gauge({
      name: 'tsunagu_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet moved to the queue (0 when none)',
      registers: [this.registry],
      async collect() {
        this.set((await outbox()).age);
      },
    });
    for (const [name, [source]] of discoveredMethods<MetricSourceFn>(this, METRIC_SOURCE)) {
      const spec = METRIC_SPECS.get(name);
      if (!spec) continue;
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames ?? [],
        registers: [this.registry],
        async collect() {
          const value = await source();
          this.reset();
          if (typeof value === 'number') this.set(value);
          else for (const v of value) this.set(v.labels, v.value);
        },
      });
    }
  }

  /** One answered HTTP request; `route` is the route's pattern (`/api/v1/cases/:id`), never the URL with its ids. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  notificationsDelivered(kind: string, count: number): void {
    if (count > 0) this.delivered.inc({ kind }, count);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
