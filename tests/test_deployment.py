"""The documented deployment: the image runs as a non-root user; compose runs replicated web and
workers behind a proxy, a single beat, and media on a volume every replica shares."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_image_runs_as_a_non_root_user():
    lines = [ln.strip() for ln in (ROOT / "Dockerfile").read_text().splitlines()]
    users = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


def test_web_and_workers_are_replicated_behind_a_proxy_and_beat_stays_single():
    services = compose()["services"]
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-2}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-2}"
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "ports" not in services["web"]  # only the proxy is published
    assert services["proxy"]["ports"] == ["${HTTP_PORT:-8000}:8080"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000 resolve" in conf


def test_every_app_container_shares_the_media_volume():
    services = compose()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert "media:/app/var/media" in services[name]["volumes"], name
    assert "media" in compose()["volumes"]


def test_pgbouncer_runs_in_transaction_mode_when_its_profile_is_chosen():
    bouncer = compose()["services"]["pgbouncer"]
    assert bouncer["profiles"] == ["pgbouncer"]
    assert bouncer["environment"]["PGBOUNCER_POOL_MODE"] == "transaction"
