#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume
# (docker-entrypoint-initdb.d). Creates the role the service runs as: it owns
# nothing, so it cannot switch off the audit log's append-only trigger; the
# API grants it row rights after every migration run (README, "Docker Compose").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="tsunagu_app" -v password="$(cat /run/secrets/db_app_password)" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
GRANT CONNECT ON DATABASE tsunagu TO :"role";
SQL
