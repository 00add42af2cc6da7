#!/usr/bin/env bash
# Runs a benchmark script of tests/benchmark against its own database
# (complaint_bench), installing complaint_service there first if needed.
# Usage: tools/bench.sh overdue [--refill]
source "$(dirname "$0")/common.sh"
name=$1; shift
ensure_postgres
conf=$(render_config odoo-test)
DB="${BENCH_DB:-complaint_bench}"
if ! psql -d "$DB" -tAc "select 1 from ir_module_module where name='complaint_service' and state='installed'" 2>/dev/null | grep -q 1; then
  log "installing complaint_service (no demo data) into $DB"
  modules=$(ls -d "$PROJECT_DIR"/addons/*/__manifest__.py | xargs -n1 dirname | xargs -n1 basename | paste -sd,)
  "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" -i "$modules" \
    --without-demo=all --stop-after-init --log-level=warn
fi
exec "$PY" "$PROJECT_DIR/tests/benchmark/bench_$name.py" --config "$conf" --database "$DB" "$@"
