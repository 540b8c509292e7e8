# syntax=docker/dockerfile:1
# Tsunagu: one image for the API (default command) and the worker
# (`node dist/src/worker.js`), serving the web console at /. See README.md, "Docker Compose".

# ---- build: compile TypeScript, then keep only production dependencies ----
FROM node:24.21.0-bookworm-slim AS build
# argon2 is a native addon: node-gyp needs these when no prebuilt binary fits.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# npm 11.19 honours the allowScripts field of package.json (older npm ignores it
# and would run every install script), as on developer machines and in CI.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Only what the build reads, so node_modules/, .data/ and dist/ of the build
# context never reach the image.
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
# The web console (Vite, a devDependency) is built here; the runtime carries only its files.
COPY web ./web
RUN npm run build && npm run web:build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime ----
FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8's heap, sized for a service whose live data is ~70 MiB (quality.md: under
# 200 MiB RSS at rest and within a minute after load). Left to its defaults on
# a machine with 24 GiB, V8 let the old space grow to ~180 MiB of garbage under
# load and kept the pages: 530-570 MiB RSS a minute after the benchmark's load,
# 205-220 MiB with these limits (BENCHMARKS.md). npm run bench reads this line.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=256"
# The commit the start-up log line names (docker compose passes it; empty when unknown).
ARG GIT_COMMIT=
ENV GIT_COMMIT=${GIT_COMMIT}
WORKDIR /app
# Owned by root and read-only to the process: it writes nothing to disk.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Served by the API at / (src/core/http/web-console.ts finds it beside package.json).
COPY --from=build /app/web/dist ./web/dist
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only (the process answers); readiness (/health/ready) also needs
# PostgreSQL and Redis and is checked by the orchestrator. No curl in slim.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "require('http').get('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).setTimeout(4000, () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
