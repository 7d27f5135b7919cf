"""DutyDesk behind PgBouncer in transaction mode (PGBOUNCER=true), with the suite's own settings:
the tests that lean hardest on the database (row claims with SKIP LOCKED and batched reminders,
concurrent handover acceptance under row locks) pass through a real PgBouncer."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
THROUGH_THE_BOUNCER = [
    "tests/followups/test_reminders.py",
    "tests/handovers/test_services.py",
]
pytestmark = [pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bouncer():
    if connection.vendor != "postgresql":
        pytest.skip("PgBouncer fronts PostgreSQL; run scripts/test.sh")
    assert Path(PGBOUNCER).exists(), "pgbouncer is not installed: scripts/test.sh installs Debian's pgbouncer"
    s = connection.settings_dict
    port = _free_port()
    # Not under pytest's tmp_path: its parents are private to root, and PgBouncer runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="dutydesk-pgbouncer-"))
    folder.chmod(0o777)
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"* = host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = any\npool_mode = transaction\nmax_client_conn = 400\ndefault_pool_size = 40\n"
        "server_reset_query =\nignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    ini.chmod(0o644)
    # PgBouncer refuses to run as root; as root it runs as the postgres system user (as the server).
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    proc = subprocess.Popen(
        [*run_as, PGBOUNCER, str(ini)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"postgres://{s['USER']}@127.0.0.1:{port}/dutydesk_bouncer"
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_database_tests_pass_through_pgbouncer_in_transaction_mode(bouncer):
    env = {
        **os.environ,
        "DATABASE_URL": bouncer,  # its own test database (test_dutydesk_bouncer), not this run's
        "PGBOUNCER": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:logging", "--create-db", *THROUGH_THE_BOUNCER],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1]
    assert "skipped" not in result.stdout.splitlines()[-1]


def test_behind_pgbouncer_there_are_no_server_side_cursors_or_prepared_statements(tmp_path):
    from tests.test_settings import settings_in_subprocess

    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u@db:6432/d", "PGBOUNCER": "true"},
        "s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'], s.DATABASES['default']['OPTIONS']['prepare_threshold']",
    )
    assert out == "(True, None)"
