"""Backup and restore round trip: the demo backed up, restored into a new database and folder,
table by table the same."""

import io
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("backup.sh backs up PostgreSQL; run scripts/test.sh")


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'public' and table_type = 'BASE TABLE' order by 1"
            )
        ]
        return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


def _run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}"')
        conn.execute(f'create database "{name}"')
    yield _url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def test_the_demo_survives_a_backup_and_a_restore_table_by_table(tmp_path, empty_database):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    media = tmp_path / "media"
    (media / "attachments" / "2026").mkdir(parents=True)
    (media / "attachments" / "2026" / "验收单.pdf").write_bytes(b"%PDF-1.4 demo")
    source = _url(connection.settings_dict["NAME"])

    made = _run(
        "backup.sh", str(tmp_path / "backups"), env={"DATABASE_URL": source, "MEDIA_ROOT": str(media)}
    )
    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "backups").iterdir()
    assert not backup.name.endswith(".partial")

    restored_media = tmp_path / "restored-media"
    done = _run(
        "restore.sh", str(backup), env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(restored_media)}
    )
    assert done.returncode == 0, done.stderr

    before, after = _row_counts(source), _row_counts(empty_database)
    assert after == before
    assert before["org_user"] >= 10 and before["customers_customer"] > 0
    assert (restored_media / "attachments" / "2026" / "验收单.pdf").read_bytes() == b"%PDF-1.4 demo"

    # Restoring again into the now non-empty database is refused, and changes nothing.
    again = _run(
        "restore.sh", str(backup), env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "x")}
    )
    assert again.returncode != 0
    assert "not empty" in again.stderr
    assert _row_counts(empty_database) == before


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, empty_database):
    source = _url(connection.settings_dict["NAME"])
    made = _run(
        "backup.sh", str(tmp_path / "b"), env={"DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "m")}
    )
    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "b").iterdir()
    with open(backup / "database.dump", "r+b") as fh:
        fh.seek(100)
        fh.write(b"XXXX")
    done = _run(
        "restore.sh", str(backup), env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "r")}
    )
    assert done.returncode != 0
    assert "checksums" in done.stderr
    assert _row_counts(empty_database) == {}


def test_only_the_newest_backups_are_kept(tmp_path):
    source = _url(connection.settings_dict["NAME"])
    dest = tmp_path / "keep"
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (dest / f"dutydesk-{stamp}").mkdir(parents=True)
    made = _run(
        "backup.sh",
        str(dest),
        env={"DATABASE_URL": source, "MEDIA_ROOT": str(tmp_path / "m"), "BACKUP_KEEP": "2"},
    )
    assert made.returncode == 0, made.stderr
    kept = sorted(p.name for p in dest.iterdir())
    assert len(kept) == 2
    assert kept[0] == "dutydesk-20260103T000000Z"
