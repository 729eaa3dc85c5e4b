"""The one-host stack as a city's IT would start it (docker-compose.yml, the Dockerfile, the
Caddyfile, .env.example), checked without a container runtime: against the compose spec,
by Caddy's own parser and for the promises the operations guide makes."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from .processes import CADDY, ROOT

BIN = Path(sys.executable).parent
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_follows_the_compose_spec():
    result = subprocess.run(
        [
            BIN / "check-jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            "docker-compose.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_proxy_publishes_ports(compose):
    published = {name for name, service in compose["services"].items() if "ports" in service}

    assert published == {"caddy"}
    assert compose["services"]["web"]["expose"] == ["8000"]
    # One proxy in front, and the application counts exactly one.
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_app_containers_read_every_setting_from_env_and_stop_on_sigterm(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert service["init"] is True
        # Exec form: the process itself gets SIGTERM, no shell in between.
        assert isinstance(service["command"], list), name
        assert "sh" not in service["command"][:2], name
    assert compose["services"]["web"]["command"] == [
        "gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
    ]


def test_web_waits_for_the_migration_and_is_checked_on_liveness(compose):
    web = compose["services"]["web"]

    assert compose["services"]["migrate"]["command"] == ["python", "manage.py", "migrate_safely"]
    assert compose["services"]["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    probe = " ".join(web["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/" in probe


def test_broker_and_cache_are_two_databases_of_a_redis_that_evicts_nothing(compose):
    environment = compose["services"]["worker"]["environment"]

    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert environment["CACHE_URL"] == "redis://redis:6379/1"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_secrets_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert ".env" in ignored
    assert "COPY . ." in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users == ["mitmachen"]
    assert re.search(r"^RUN .*collectstatic", dockerfile, re.MULTILINE | re.DOTALL)
    cmd = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE).group(1)
    assert json.loads(cmd) == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]


def _env_names_read_by(paths) -> set[str]:
    pattern = re.compile(
        r"(?:env|env_bool|env_int|env_ints|env_list|env_floats|env_choice|require|require_url"
        r"|_int|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\""
    )
    return {name for path in paths for name in pattern.findall(path.read_text())}


# Read by the code but not a city's choice: set by the image or by gunicorn.conf.py itself,
# or refused in production (DEBUG).
NOT_FOR_THE_CITY = {"STATIC_ROOT", "PROMETHEUS_MULTIPROC_DIR", "GUNICORN_BIND", "DEBUG"}


def test_env_example_names_every_setting_the_code_reads():
    sources = [
        *(ROOT / "halle_smartcity" / "settings").glob("*.py"),
        ROOT / "deploy/gunicorn.conf.py",
    ]
    read = _env_names_read_by(sources) - NOT_FOR_THE_CITY
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))

    assert {"SECRET_KEY", "SMTP_HOST", "METRICS_TOKEN", "SENTRY_DSN"} <= read
    assert read - listed == set()


def _caddy_adapt(caddyfile: Path, **environment: str) -> dict:
    result = subprocess.run(
        [CADDY, "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _handlers(config: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "handler" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(config["apps"]["http"])
    return found


def test_caddy_terminates_tls_limits_bodies_and_balances_over_every_replica():
    config = _caddy_adapt(
        ROOT / "deploy/caddy/Caddyfile",
        SITE_DOMAIN="mitmachen.example",
        ACME_EMAIL="it@example.org",
    )
    handlers = {handler["handler"]: handler for handler in _handlers(config)}
    server = next(iter(config["apps"]["http"]["servers"].values()))

    assert server["listen"] == [":443"]  # and Caddy redirects :80 to it
    assert handlers["request_body"]["max_size"] == settings.MITMACHEN_MAX_REQUEST_BYTES
    assert handlers["reverse_proxy"]["dynamic_upstreams"] == {
        "name": "web",
        "port": "8000",
        "refresh": 10_000_000_000,
        "source": "a",
    }
    issuers = config["apps"]["tls"]["automation"]["policies"][0]["issuers"]
    assert {issuer["email"] for issuer in issuers} == {"it@example.org"}
    internal = [
        handler
        for handler in _handlers(config)
        if handler["handler"] == "subroute"
        for route in handler["routes"]
        if route.get("match") == [{"path": ["/readyz", "/readyz/", "/metrics", "/metrics/*"]}]
        and route["handle"] == [{"handler": "static_response", "status_code": 404}]
    ]
    assert internal


def test_caddy_takes_the_citys_own_certificate_files():
    config = _caddy_adapt(
        ROOT / "deploy/caddy/Caddyfile",
        SITE_DOMAIN="mitmachen.example",
        ACME_EMAIL="it@example.org",
        TLS_MODE="files",
    )

    assert config["apps"]["tls"]["certificates"]["load_files"] == [
        {
            "certificate": "/etc/caddy/certs/cert.pem",
            "key": "/etc/caddy/certs/key.pem",
            "tags": ["cert0"],
        }
    ]
