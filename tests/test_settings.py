"""Settings are read from the environment: database, broker and security switches."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def settings_in_subprocess(module: str, env: dict, expr: str) -> str:
    """Evaluate `expr` against freshly imported settings in a clean process with `env`."""
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    code = f"import django, os; django.setup(); from django.conf import settings as s; print(repr(({expr})))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_database_url_the_default_is_sqlite_in_wal_with_immediate_transactions(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path)},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.DATABASES['default']['OPTIONS']['transaction_mode'], 'WAL' in s.DATABASES['default']['OPTIONS']['init_command']",
    )
    assert out == f"('django.db.backends.sqlite3', '{tmp_path}/dutydesk.sqlite3', 'IMMEDIATE', True)"


def test_database_url_selects_postgresql(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://u:p@db.example:5433/dd"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.DATABASES['default']['PORT']",
    )
    assert out == "('django.db.backends.postgresql', 'db.example', 5433)"


def test_without_redis_the_broker_is_the_embedded_filesystem_transport(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path)},
        "s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in']",
    )
    assert out == f"('filesystem://', '{tmp_path}/broker/queue')"


def test_redis_url_selects_redis_as_the_broker(tmp_path):
    out = settings_in_subprocess(
        "config.settings.local",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "REDIS_URL": "redis://cache.example:6380/2"},
        "s.CELERY_BROKER_URL",
    )
    assert out == "'redis://cache.example:6380/2'"


def test_production_requires_a_secret_key(tmp_path):
    code = "import django; django.setup()"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "x.example"})
    env["DUTYDESK_VAR_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_deploy_check_passes_under_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by browser tests
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k9$Vq2!mZ7#pL4@wX8^tR1&yB6*uN3(eH5)sD0_fG-jC+oA=iQ" * 2,
        "ALLOWED_HOSTS": "dutydesk.example.com",
        "DUTYDESK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_catalogues_are_compiled(lang):
    assert (ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo").exists()


def test_every_string_has_a_chinese_translation():
    import polib

    missing = []
    for path in [
        ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
        *ROOT.glob("apps/*/locale/zh_Hans/LC_MESSAGES/django.po"),
    ]:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags):
                missing.append(f"{path.relative_to(ROOT)}: {entry.msgid}")
    assert not missing, "\n".join(missing)


def test_media_live_in_a_folder_by_default_and_on_s3_compatible_storage_when_configured(tmp_path):
    local = settings_in_subprocess(
        "config.settings.production",
        {"DUTYDESK_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a.example"},
        "s.STORAGES['default']['BACKEND']",
    )
    assert local == "'django.core.files.storage.FileSystemStorage'"
    out = settings_in_subprocess(
        "config.settings.production",
        {
            "DUTYDESK_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "a.example",
            "MEDIA_STORAGE_URL": "s3://dutydesk-media/prod?endpoint_url=http://127.0.0.1:9000&region_name=cn-east-1",
            "AWS_ACCESS_KEY_ID": "k",
            "AWS_SECRET_ACCESS_KEY": "s",
        },
        "(lambda st: (type(st).__name__, st.bucket_name, st.location, st.endpoint_url, st.default_acl))"
        "(__import__('django.core.files.storage', fromlist=['storages']).storages['default'])",
    )
    assert out == "('S3Storage', 'dutydesk-media', 'prod', 'http://127.0.0.1:9000', None)"


def test_a_malformed_media_storage_url_stops_start_up():
    from config.storage import media_storage

    with pytest.raises(ValueError, match="s3://bucket"):
        media_storage("ftp://x")
    with pytest.raises(ValueError, match="unknown options"):
        media_storage("s3://b?acl=public-read")
