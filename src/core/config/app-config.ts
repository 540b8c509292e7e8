import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { ClosedDays, DEFAULT_OFFICE_HOURS, OfficeHours, parseOfficeHours } from '../time/business-time';
import { centerClosingDays, parseClosingDays } from '../time/closing-days';
import { resolveSecretFiles } from './secret-files';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const WORKER_MODES = ['embedded', 'off'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The whole configuration of the service, read once from the environment at
 * boot. Every value is validated here; nothing else reads process.env.
 * The property names are the environment variables, so an error message names
 * exactly what the operator has to fix.
 */
export class AppConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsDefined({ message: 'DATABASE_URL is required' })
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /**
   * Connections of the service's PostgreSQL pool (per process). More lets
   * more requests run at once; each one costs PostgreSQL memory and a
   * backend, so keep processes × pool under the server's max_connections.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  /** The owner role migrations run as; the service itself runs as DATABASE_URL's role, which owns nothing. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'MIGRATION_DATABASE_URL must be a postgres:// URL' })
  MIGRATION_DATABASE_URL?: string;

  @IsDefined({ message: 'REDIS_URL is required' })
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL!: string;

  /**
   * Which proxies may set X-Forwarded-For: `false` (none: the client address
   * is the peer's, the default), a number of hops, or comma-separated
   * addresses or CIDRs. Trusting every proxy would let any client choose the
   * address that rate limits and the audit log use.
   */
  @Matches(/^(false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be false, a number of hops, or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY = 'false';

  /** Prefix of every Redis key the service writes (queues, rate limits). */
  @Matches(/^[a-zA-Z0-9_-]{1,40}$/, { message: 'REDIS_PREFIX must be 1-40 letters, digits, _ or -' })
  REDIS_PREFIX = 'tsunagu';

  @IsDefined({ message: 'JWT_SECRET is required' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  /**
   * Signs the audit chain's checkpoints (issue 11, item 8): a key the
   * database never holds, so whoever controls the database cannot forge the
   * anchor. Required in production; a local start generates one. The same
   * value on every API and worker process (the worker seals and signs).
   */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.AUDIT_ANCHOR_KEY !== undefined)
  @IsDefined({ message: 'AUDIT_ANCHOR_KEY is required in production' })
  @MinLength(32, { message: 'AUDIT_ANCHOR_KEY must be at least 32 characters' })
  AUDIT_ANCHOR_KEY?: string;

  @IsIn(WORKER_MODES, { message: 'WORKER_MODE must be one of: embedded, off' })
  WORKER_MODE: (typeof WORKER_MODES)[number] = 'embedded';

  @IsString()
  TZ_BUSINESS = 'Asia/Tokyo';

  /**
   * The center's opening hours, for the after-hours flag of consultations:
   * `mon=08:30-20:00,tue=08:30-17:15,...,sat=closed,sun=closed`. Default: the
   * reference center (until 20:00 on Mondays and Thursdays, 17:15 other weekdays).
   */
  @IsOptional()
  @IsString()
  OFFICE_HOURS?: string;

  /**
   * The city's own closing days, beside the national holidays and the
   * year-end closure (29 December to 3 January) that are always closed:
   * `06-01` every year, `2027-05-06` once, ranges as `08-13..08-15`.
   */
  @IsOptional()
  @IsString()
  CLOSING_DAYS?: string;

  @Transform(toList)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  CORS_ORIGINS: string[] = [];

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Human-readable logs instead of JSON lines; defaults to on in development. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'LOG_PRETTY must be true or false' })
  LOG_PRETTY?: boolean;

  /** Minutes without input after which the web console logs out (a warning comes a minute before; issue 17). */
  @Transform(toInt)
  @IsInt({ message: 'CONSOLE_IDLE_MINUTES must be a whole number' })
  @Min(2)
  @Max(24 * 60)
  CONSOLE_IDLE_MINUTES = 30;

  /** Login and token-refresh attempts per client address per minute, across all API processes. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_RATE_LIMIT_PER_MINUTE must be a whole number' })
  @Min(1)
  @Max(100_000)
  LOGIN_RATE_LIMIT_PER_MINUTE = 20;

  /** Minutes before a task's due time to remind its assignee (0: at the due time). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v)) : value,
  )
  @IsInt({ each: true, message: 'TASK_REMINDER_OFFSETS_MINUTES must be whole minutes, comma-separated' })
  @Min(0, { each: true })
  TASK_REMINDER_OFFSETS_MINUTES: number[] = [1440, 60, 0];

  /** Minutes a task may stay overdue before the district's supervisors are told (domain.md: 24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TASK_ESCALATE_AFTER_MINUTES = 1440;

  /** The same for a safety check (domain.md: 2 h). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SAFETY_CHECK_ESCALATE_AFTER_MINUTES = 120;

  /**
   * Months between progress reviews (進行管理) per council registration, and
   * for cases in monitoring: `support_needed=3,protection_needed=3,...`.
   */
  @IsOptional()
  @Matches(
    /^(\s*(support_needed|protection_needed|specified_expectant_mother|monitoring)=\d{1,2}\s*)(,\s*(support_needed|protection_needed|specified_expectant_mother|monitoring)=\d{1,2}\s*)*$/,
    {
      message:
        'REVIEW_CYCLE_MONTHS must look like support_needed=3,protection_needed=3,specified_expectant_mother=3,monitoring=3',
    },
  )
  REVIEW_CYCLE_MONTHS?: string;

  /** Days a referral's answer is due after sending, per urgency (domain.md: 1, 3, 14). */
  @IsOptional()
  @Matches(/^\s*(emergency|priority|routine)=\d{1,3}\s*(,\s*(emergency|priority|routine)=\d{1,3}\s*)*$/, {
    message: 'REFERRAL_RESPONSE_DAYS must look like emergency=1,priority=3,routine=14',
  })
  REFERRAL_RESPONSE_DAYS?: string;

  /**
   * Days a case may be in `active` without an approved support plan before its
   * supervisors are told, once (docs/domain.md, "Support plans").
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  PLAN_REQUIRED_AFTER_DAYS = 30;

  /** How often the reconciliation sweep rebuilds the schedule from PostgreSQL. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  RECONCILE_EVERY_MS = 30_000;

  /**
   * How many times a job runs before BullMQ marks it failed (exponential
   * backoff between attempts). With the defaults a job keeps trying for about
   * 254 s; the reconciliation sweep revives due work whose job failed for good.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 8;

  /** The first retry's delay; each further retry waits twice as long. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  JOB_BACKOFF_MS = 2_000;

  /** How long a worker holds a job before another may take it over (BullMQ lock). */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  WORKER_LOCK_MS = 30_000;

  /** Run pending migrations at start-up. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  /** Load the demo districts, organizations and users (idempotent) at start-up. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA = false;

  /**
   * Bearer token Prometheus sends to scrape `/metrics`; unset, `/metrics` is
   * off (404). A token rather than the admin login: a scraper holds no user
   * account and reads no case data, and the token can be rotated alone.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /**
   * Whether clients reach the service over https, for the CSP's
   * upgrade-insecure-requests and HSTS: `auto` asks each request (its socket,
   * or X-Forwarded-Proto from a proxy TRUST_PROXY trusts); `true` or `false`
   * says so for all.
   */
  @IsIn(['auto', 'true', 'false'], { message: 'TLS must be auto, true or false' })
  TLS: 'auto' | 'true' | 'false' = 'auto';

  /**
   * A file the queue worker rewrites every 10 s while it runs and Redis
   * answers, for a container healthcheck (the worker serves no HTTP).
   */
  @IsOptional()
  @IsString()
  WORKER_HEALTH_FILE?: string;

  /** Serve Swagger UI at /docs and the OpenAPI document at /docs-json. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'API_DOCS must be true or false' })
  API_DOCS = true;

  /** The first admin, created at start-up when no admin exists. */
  @IsOptional()
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'ADMIN_USERNAME must be 3-40 of a-z, 0-9, . _ -' })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  /** Fastify's trustProxy option from TRUST_PROXY. */
  get trustProxy(): boolean | string[] | ((address: string, hop: number) => boolean) {
    if (this.TRUST_PROXY === 'false') return false;
    if (/^\d+$/.test(this.TRUST_PROXY)) {
      const hops = Number(this.TRUST_PROXY);
      return (_address: string, hop: number) => hop < hops;
    }
    return this.TRUST_PROXY.split(',').map((s) => s.trim());
  }

  /** Where migrations run: the owner (MIGRATION_DATABASE_URL), else DATABASE_URL (a single-role setup). */
  get migrationDatabaseUrl(): string {
    return this.MIGRATION_DATABASE_URL ?? this.DATABASE_URL;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get runsWorker(): boolean {
    return this.WORKER_MODE === 'embedded';
  }

  get officeHours(): OfficeHours {
    return this.OFFICE_HOURS ? parseOfficeHours(this.OFFICE_HOURS) : DEFAULT_OFFICE_HOURS;
  }

  /** Days the center is closed all day (parsed once: the after-hours flag asks on every consultation). */
  get closedDays(): ClosedDays {
    this.closedDaysCache ??= centerClosingDays(parseClosingDays(this.CLOSING_DAYS ?? ''));
    return this.closedDaysCache;
  }

  private closedDaysCache?: ClosedDays;

  get reviewCycleMonths(): Record<
    'support_needed' | 'protection_needed' | 'specified_expectant_mother' | 'monitoring',
    number
  > {
    const cycle = { support_needed: 3, protection_needed: 3, specified_expectant_mother: 3, monitoring: 3 };
    for (const part of (this.REVIEW_CYCLE_MONTHS ?? '').split(',').filter((p) => p.trim())) {
      const [key, months] = part.split('=').map((x) => x.trim());
      cycle[key as keyof typeof cycle] = Number(months);
    }
    return cycle;
  }

  get referralResponseDays(): Record<'emergency' | 'priority' | 'routine', number> {
    const days = { emergency: 1, priority: 3, routine: 14 };
    for (const part of (this.REFERRAL_RESPONSE_DAYS ?? '').split(',').filter((p) => p.trim())) {
      const [key, n] = part.split('=').map((x) => x.trim());
      days[key as keyof typeof days] = Number(n);
    }
    return days;
  }

  get logPretty(): boolean {
    return this.LOG_PRETTY ?? this.NODE_ENV === 'development';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the configuration. Throws a ConfigError that lists one
 * line per bad or missing variable.
 */
export function loadConfig(rawEnv: Record<string, string | undefined>): AppConfig {
  const { env, problems: fileProblems } = resolveSecretFiles(rawEnv);
  const keys = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AppConfig, '', false, false)
      .map((m) => m.propertyName),
  );
  // Empty values count as unset, so `FOO=` in a compose file means "use the default".
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => keys.has(k) && v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, input);
  const problems = validateSync(config).map((error) => {
    const constraints = error.constraints ?? {};
    // A missing value says "required" rather than every rule it also fails.
    return constraints.isDefined ?? Object.values(constraints)[0] ?? `${error.property} is invalid`;
  });
  if (config.TZ_BUSINESS && !isTimeZone(config.TZ_BUSINESS)) {
    problems.push('TZ_BUSINESS must be an IANA time zone such as Asia/Tokyo');
  }
  if (config.OFFICE_HOURS) {
    try {
      parseOfficeHours(config.OFFICE_HOURS);
    } catch (error) {
      problems.push(`OFFICE_HOURS: ${(error as Error).message}`);
    }
  }
  if (config.CLOSING_DAYS) {
    try {
      parseClosingDays(config.CLOSING_DAYS);
    } catch (error) {
      problems.push(`CLOSING_DAYS: ${(error as Error).message}`);
    }
  }
  problems.unshift(...fileProblems);
  if (config.ADMIN_USERNAME && !config.ADMIN_PASSWORD) {
    problems.push('ADMIN_PASSWORD is required when ADMIN_USERNAME is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
