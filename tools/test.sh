#!/usr/bin/env bash
# Runs every test of the project:
#   1. linters: ruff, pylint-odoo, OCA checks of manifests/XML/CSV;
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
      "$TVENV/bin/pip" install -q pytest hypothesis ruff
  fi
  TPY="$TVENV/bin/python"
fi

log "ruff"
if "$TPY" -m ruff --version >/dev/null 2>&1; then
  ruff_args=$(python3 -c "import configparser as c; p=c.ConfigParser(); p.read('setup.cfg'); print(p['ruff']['args'])")
  "$TPY" -m ruff check $ruff_args addons tests tools && record ruff passed || record ruff "FAILED"
else record ruff "SKIPPED (ruff not installed)"; fi

log "pylint-odoo"
if "$TPY" -c 'import pylint_odoo' >/dev/null 2>&1; then
  "$TPY" -m pylint --rcfile=setup.cfg addons/* && record pylint-odoo passed || record pylint-odoo FAILED
else record pylint-odoo "SKIPPED (pylint-odoo not installed)"; fi

log "OCA module checks (manifests, XML, CSV)"
if [ -x "$(dirname "$TPY")/oca-checks-odoo-module" ]; then
  out=$("$(dirname "$TPY")/oca-checks-odoo-module" $(find addons \( -name '__manifest__.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.po' -o -name '*.pot' \) -not -path '*/static/*') 2>&1)
  rc=$?; printf '%s\n' "$out" | tail -40
  [ $rc -eq 0 ] && record oca-checks passed || record oca-checks FAILED
else record oca-checks "SKIPPED (oca-odoo-pre-commit-hooks not installed)"; fi

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
