import { SetMetadata } from '@nestjs/common';

export const READINESS_DETAIL = Symbol('tsunagu:readiness-detail');

/**
 * Marks a provider method whose answer `/health/ready` shows under `name`
 * (for example the follow-ups' counts). Core knows no feature module: the
 * health controller finds these at start-up, as the worker finds job handlers.
 */
export const ReadinessDetail = (name: string) => SetMetadata(READINESS_DETAIL, name);

export type ReadinessSource = () => Promise<Record<string, unknown>>;
