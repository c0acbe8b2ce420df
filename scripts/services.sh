#!/usr/bin/env bash
# Starts the local services Guildhall's service tests use (PostgreSQL, Redis) when they are installed
# but stopped, and creates the test database. Safe to run again. Prints one line per service.
set -uo pipefail

start_postgres() {
  if ! command -v pg_isready >/dev/null 2>&1; then
    echo "services: PostgreSQL client not installed; PostgreSQL tests will skip (or fail under CI)"
    return
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if pg_isready -h 127.0.0.1 -p 5432 -q; then
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='guildhall_test'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE guildhall_test" >/dev/null
    echo "services: PostgreSQL ready on 127.0.0.1:5432 (database guildhall_test)"
  else
    echo "services: PostgreSQL is not reachable on 127.0.0.1:5432"
  fi
}

start_redis() {
  if ! command -v redis-cli >/dev/null 2>&1; then
    echo "services: Redis not installed; Redis tests will skip (or fail under CI)"
    return
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "services: Redis ready on 127.0.0.1:6379"
  else
    echo "services: Redis is not reachable on 127.0.0.1:6379"
  fi
}

start_postgres
start_redis
