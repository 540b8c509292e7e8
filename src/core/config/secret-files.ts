import { readFileSync } from 'node:fs';

/**
 * Secrets from files (Docker and Kubernetes secrets, systemd credentials),
 * beside plain variables (issue 12, part 5):
 *
 * - `<NAME>_FILE` holds the whole value of NAME, for each name below;
 * - `<URL>_PASSWORD_FILE` holds only the password of a connection URL, so the
 *   URL itself (host, user, database) can stay in plain configuration.
 *
 * One trailing newline is dropped (editors and `echo` add one). Setting a
 * name and its file both is an error, as is a file that cannot be read.
 */
export const SECRET_FILE_VARIABLES = [
  'JWT_SECRET',
  'AUDIT_ANCHOR_KEY',
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'METRICS_TOKEN',
  'ADMIN_PASSWORD',
] as const;

const PASSWORD_FILES = {
  DATABASE_PASSWORD_FILE: 'DATABASE_URL',
  MIGRATION_DATABASE_PASSWORD_FILE: 'MIGRATION_DATABASE_URL',
  REDIS_PASSWORD_FILE: 'REDIS_URL',
} as const;
export const PASSWORD_FILE_VARIABLES = Object.keys(PASSWORD_FILES);

/** Whether a name is configured, as a variable or as a file. */
export function isConfigured(env: Record<string, string | undefined>, name: string): boolean {
  return Boolean(env[name]) || Boolean(env[`${name}_FILE`]);
}

/** The environment with every `*_FILE` read in; problems, one line each, for the configuration error. */
export function resolveSecretFiles(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  problems: string[];
} {
  const out = { ...env };
  const problems: string[] = [];
  const read = (variable: string): string | undefined => {
    const path = env[variable];
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };
  for (const name of SECRET_FILE_VARIABLES) {
    const file = `${name}_FILE`;
    if (!env[file]) continue;
    if (env[name]) {
      problems.push(`set ${name} or ${file}, not both`);
      continue;
    }
    const value = read(file);
    if (value !== undefined) out[name] = value;
  }
  for (const [file, urlName] of Object.entries(PASSWORD_FILES)) {
    if (!env[file]) continue;
    const password = read(file);
    const url = out[urlName];
    if (password === undefined) continue;
    if (!url) {
      problems.push(`${file} needs ${urlName} (the URL whose password it holds)`);
      continue;
    }
    try {
      const parsed = new URL(url);
      if (parsed.password) {
        problems.push(`${urlName} has a password already: drop it, or drop ${file}`);
        continue;
      }
      parsed.password = encodeURIComponent(password);
      out[urlName] = parsed.toString();
    } catch {
      // The URL's own rule reports a malformed URL.
    }
  }
  return { env: out, problems };
}
