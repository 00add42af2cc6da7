#!/usr/bin/env bash
# Runs every test of the project:
#   1. linters and formatters: the hooks of .pre-commit-config.yaml
#      (`pre-commit run --all-files`);
#   2. the pure-Python tests under tests/ (no Odoo needed);
#   3. each addon's Odoo tests (pytest-odoo, with the HTTP server for browser
#      tours) on a fresh database where both addons are installed with demo data.
# Without Odoo (see README) 1 and 2 still run, and the summary names the
# skipped suites and why.  A skipped test inside an Odoo suite (a tour that
# could not start a browser, an HttpCase without --odoo-http) fails the run.
source "$(dirname "$0")/common.sh"
set +e +o pipefail
cd "$PROJECT_DIR"
REPORTS="$PROJECT_DIR/.run/reports"
rm -rf "$REPORTS"; mkdir -p "$REPORTS"
declare -a SUMMARY
failed=0
record() { SUMMARY+=("$(printf '%-28s %s' "$1" "$2")"); case "$2" in FAILED*) failed=1;; esac; }

# Tools for suites 1-2: the Odoo virtualenv, else a light one of our own.
if [ -x "$PY" ]; then TPY="$PY"; else
  TVENV="$PROJECT_DIR/.run/tools-venv"
  if [ ! -x "$TVENV/bin/python" ]; then
    log "no Odoo virtualenv at $VENV: making a tools-only one at $TVENV"
    python3 -m venv "$TVENV" && "$TVENV/bin/pip" install -q -r requirements-dev.txt ||
      "$TVENV/bin/pip" install -q lxml -r <(grep -vE '^(psycopg2|pytest-odoo)' requirements-dev.txt)
  fi
  TPY="$TVENV/bin/python"
fi

# 1. The hooks of .pre-commit-config.yaml over every file (all local hooks:
# pre-commit downloads nothing), one summary line per hook.  A hook whose tool
# is missing is skipped (SKIP=...); a formatter that changed a file fails.
export VENV PATH="$(dirname "$TPY"):$PATH" PRE_COMMIT_HOME="$PROJECT_DIR/.run/pre-commit"
HOOKS=$(sed -nE 's/^ *- id: *([A-Za-z0-9_-]+) *$/\1/p' .pre-commit-config.yaml)
has_tool() { [ -x "$VENV/bin/$1" ] || [ -x "$PROJECT_DIR/node_modules/.bin/$1" ] || command -v "$1" >/dev/null 2>&1; }
hook_missing() {  # prints why the tool of hook $1 is not there, if it is not
  case $1 in
    ruff|ruff-format) has_tool ruff || echo "ruff not installed" ;;
    pylint-odoo) tools/hook-tool python -c 'import pylint_odoo' >/dev/null 2>&1 ||
        echo "pylint-odoo not installed" ;;
    oca-checks-*) has_tool "$1" || echo "oca-odoo-pre-commit-hooks not installed" ;;
    oca-gen-addon-readme) tools/hook-tool python -c 'import pypandoc; pypandoc.get_pandoc_path()' \
        >/dev/null 2>&1 || echo "pypandoc-binary not installed" ;;
    prettier) ensure_node_tools >&2 || echo "node_modules/ could not be installed (npm ci)" ;;
  esac
}
log "linters: pre-commit run --all-files (.pre-commit-config.yaml)"
if ! "$TPY" -m pre_commit --version >/dev/null 2>&1; then
  for h in $HOOKS; do record "lint: $h" "SKIPPED (pre-commit not installed)"; done
elif ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  for h in $HOOKS; do record "lint: $h" "SKIPPED (not a git checkout: pre-commit needs one)"; done
else
  declare -A missing
  skip=()
  for h in $HOOKS; do
    missing[$h]=$(hook_missing "$h")
    [ -z "${missing[$h]}" ] || skip+=("$h")
  done
  SKIP=$(IFS=,; echo "${skip[*]}") "$TPY" -m pre_commit run --all-files --show-diff-on-failure \
    --color=never 2>&1 | tee "$REPORTS/pre-commit.log"
  rc=${PIPESTATUS[0]}
  for h in $HOOKS; do
    status=$(sed -nE "s/^$h\.{3,}(\([^)]*\))?(Passed|Failed|Skipped)$/\2 \1/p" \
      "$REPORTS/pre-commit.log" | head -1)
    case $status in
      Passed*) record "lint: $h" passed ;;
      Failed*) record "lint: $h" "FAILED (see pre-commit above)" ;;
      Skipped*"no files"*) record "lint: $h" "SKIPPED (no files to check)" ;;
      Skipped*) record "lint: $h" "SKIPPED (${missing[$h]:-skipped by pre-commit})" ;;
      *) record "lint: $h" "FAILED (no result from pre-commit)" ;;
    esac
  done
  [ "$rc" -eq 0 ] || printf '%s\n' "${SUMMARY[@]}" | grep -q FAILED ||
    record "pre-commit" "FAILED (exit code $rc)"
fi

log "pure-Python tests"
"$TPY" -m pytest tests -p no:cacheprovider -p no:odoo --junitxml="$REPORTS/pure.xml"
rc=$?
[ $rc -eq 0 ] && record "pure-Python tests" passed || record "pure-Python tests" FAILED

ODOO_SUITES=$(ls -d addons/*/tests 2>/dev/null)
if ! odoo_available; then
  reason="Odoo 18.0 is not importable from $PY (ODOO_SRC=$ODOO_SRC; run the setup command in README.md)"
  for s in $ODOO_SUITES; do record "odoo: $(basename "$(dirname "$s")")" "SKIPPED ($reason)"; done
elif ! ensure_postgres; then
  for s in $ODOO_SUITES; do record "odoo: $(basename "$(dirname "$s")")" "FAILED (PostgreSQL is not available)"; done
else
  DB="complaint_test_$$"
  conf=$(render_config odoo-test)
  modules=$(ls -d addons/*/__manifest__.py | xargs -n1 dirname | xargs -n1 basename | paste -sd,)
  log "installing $modules with demo data into fresh database $DB"
  dropdb --if-exists "$DB" 2>/dev/null
  "$PY" "$ODOO_SRC/odoo-bin" -c "$conf" -d "$DB" -i "$modules" --stop-after-init \
      --log-level=warn > "$REPORTS/install.log" 2>&1
  rc=$?
  grep -E "ERROR|CRITICAL" "$REPORTS/install.log" | head -40
  if [ $rc -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$REPORTS/install.log"; then
    tail -60 "$REPORTS/install.log"
    for s in $ODOO_SUITES; do record "odoo: $(basename "$(dirname "$s")")" "FAILED (install failed, see above)"; done
  else
    for s in $ODOO_SUITES; do
      mod=$(basename "$(dirname "$s")")
      log "Odoo tests of $mod"
      PYTHONPATH="$PROJECT_DIR/tools${PYTHONPATH:+:$PYTHONPATH}" \
        "$PY" -m pytest "$s" -p no:cacheprovider -p pytest_no_skip \
        --odoo-config="$conf" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
        --junitxml="$REPORTS/odoo-$mod.xml"
      rc=$?
      case $rc in
        0) record "odoo: $mod" passed ;;
        5) record "odoo: $mod" "FAILED (no test collected)" ;;
        *) record "odoo: $mod" FAILED ;;
      esac
    done
    log "production mode smoke test (prefork: workers, gevent websocket, JSON-RPC)"
    if "$PY" "$PROJECT_DIR/tools/smoke_prefork.py" --python "$PY" \
        --odoo-bin "$ODOO_SRC/odoo-bin" --config "$conf" --database "$DB"; then
      record "smoke: prefork server" passed
    else
      record "smoke: prefork server" FAILED
    fi
  fi
  [ -n "${KEEP_DB:-}" ] || dropdb --if-exists "$DB" 2>/dev/null
fi

echo
log "summary"
printf '  %s\n' "${SUMMARY[@]}"
if printf '%s\n' "${SUMMARY[@]}" | grep -q SKIPPED; then
  printf '\033[1;33m%s\033[0m\n' "!! SOME SUITES WERE SKIPPED, NOT PASSED: see the SKIPPED lines above."
fi
python3 "$PROJECT_DIR/tools/junit_total.py" "$REPORTS"/*.xml
exit $failed
