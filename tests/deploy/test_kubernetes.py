"""deploy/kubernetes: the base and the example overlay render with `kubectl kustomize`, every
built-in kind validates against Kubernetes 1.30's schemas (kubernetes-validate, offline), the
operator's resources against tests/deploy/schemas, and the promises the operations guide makes
hold: probes, replicas, one beat, separate Redis for broker and cache, no secret in the base."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
KUBERNETES = ROOT / "deploy" / "kubernetes"
SCHEMAS = Path(__file__).parent / "schemas"
VERSION = "1.30.0"
CUSTOM = {"postgresql.cnpg.io/v1", "barmancloud.cnpg.io/v1"}
SECRET_NAMES = {
    "SECRET_KEY",
    "SMTP_PASSWORD",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "METRICS_TOKEN",
    "SENTRY_DSN",
    "DATABASE_URL",
}


def render(directory: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing: apt-get install -y kubectl"
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def overlay() -> list[dict]:
    return render(KUBERNETES / "overlays" / "example")


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return render(KUBERNETES / "base")


def one(docs: list[dict], kind: str, name: str) -> dict:
    [found] = [doc for doc in docs if doc["kind"] == kind and doc["metadata"]["name"] == name]
    return found


def named(docs: list[dict], kind: str, prefix: str) -> dict:
    """A generated object, whose name carries a hash suffix."""
    pattern = re.compile(rf"{prefix}(-[a-z0-9]{{10}})?")
    [found] = [
        doc for doc in docs if doc["kind"] == kind and pattern.fullmatch(doc["metadata"]["name"])
    ]
    return found


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    return {
        doc["metadata"]["name"]: doc["spec"]["template"]["spec"]
        for doc in docs
        if doc["kind"] in {"Deployment", "Job"}
    }


def custom_validate(doc: dict) -> None:
    group = doc["apiVersion"].replace("/", "-")
    schema = json.loads((SCHEMAS / f"{group}-{doc['kind']}.json").read_text())
    jsonschema.validate(doc, schema)


@pytest.mark.parametrize("directory", ["base", "overlays/example"])
def test_every_resource_validates_offline(directory):
    docs = render(KUBERNETES / directory)
    kinds = set()
    for doc in docs:
        kinds.add(doc["kind"])
        if doc["apiVersion"] in CUSTOM:
            custom_validate(doc)
        else:
            kubernetes_validate.validate(doc, VERSION, strict=True)
    assert {
        "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Job",
        "Ingress", "ConfigMap", "Cluster", "ScheduledBackup", "ObjectStore",
    } <= kinds  # fmt: skip


def test_the_validators_refuse_what_is_wrong(overlay):
    web = json.loads(json.dumps(one(overlay, "Deployment", "mitmachen-web")))
    web["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError, match="two"):
        kubernetes_validate.validate(web, VERSION, strict=True)
    backup = json.loads(json.dumps(one(overlay, "ScheduledBackup", "mitmachen-db-nightly")))
    backup["spec"]["schedule"] = "0 2 * * *"  # five fields: the operator wants six
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        custom_validate(backup)
    cluster = json.loads(json.dumps(one(overlay, "Cluster", "mitmachen-db")))
    cluster["spec"]["plugins"][0]["isWalArchiver"] = True
    with pytest.raises(jsonschema.ValidationError, match="isWalArchiver"):
        custom_validate(cluster)


def test_the_web_runs_gunicorn_with_probes_on_the_health_endpoints(overlay):
    web = one(overlay, "Deployment", "mitmachen-web")
    assert web["spec"]["replicas"] >= 2
    [container] = web["spec"]["template"]["spec"]["containers"]
    assert container["command"] == [
        "gunicorn", "-c", "deploy/gunicorn.conf.py", "halle_smartcity.wsgi",
    ]  # fmt: skip
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz/"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz/"
    assert container["image"] == "registry.stadt.example/mitmachen:1.0.0"

    labels = web["spec"]["template"]["metadata"]["labels"]
    pdb = one(overlay, "PodDisruptionBudget", "mitmachen-web")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] >= 1
    hpa = one(overlay, "HorizontalPodAutoscaler", "mitmachen-web")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "mitmachen-web",
    }  # fmt: skip
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]


def test_beat_is_exactly_one_and_replaced_not_rolled(overlay):
    beat = one(overlay, "Deployment", "mitmachen-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    [container] = beat["spec"]["template"]["spec"]["containers"]
    assert container["command"][:4] == ["celery", "-A", "halle_smartcity", "beat"]
    worker = one(overlay, "Deployment", "mitmachen-worker")
    [container] = worker["spec"]["template"]["spec"]["containers"]
    assert container["command"][:4] == ["celery", "-A", "halle_smartcity", "worker"]
    job = one(overlay, "Job", "mitmachen-migrate")
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "manage.py", "migrate_safely"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_every_pod_runs_unprivileged_with_resources_and_its_configuration(overlay):
    secret_names = {doc["metadata"]["name"] for doc in overlay if doc["kind"] == "Secret"}
    config_names = {doc["metadata"]["name"] for doc in overlay if doc["kind"] == "ConfigMap"}
    cluster = one(overlay, "Cluster", "mitmachen-db")
    for name, spec in pod_specs(overlay).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] > 0, name
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert context["readOnlyRootFilesystem"] is True, name
            assert {"requests", "limits"} <= container["resources"].keys(), name
            assert "memory" in container["resources"]["limits"], name
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secret_names, name
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_names, name
            for variable in container.get("env", []):
                ref = variable["valueFrom"]["secretKeyRef"]
                # The one Secret made by the operator: <cluster>-app, key uri.
                assert (ref["name"], ref["key"]) == (f"{cluster['metadata']['name']}-app", "uri")


def test_broker_and_cache_are_separate_redis_servers_with_their_eviction_policies(overlay):
    config = named(overlay, "ConfigMap", "mitmachen-config")["data"]
    broker = one(overlay, "Deployment", "mitmachen-redis-broker")
    cache = one(overlay, "Deployment", "mitmachen-redis-cache")
    broker_args = " ".join(broker["spec"]["template"]["spec"]["containers"][0]["args"])
    cache_args = " ".join(cache["spec"]["template"]["spec"]["containers"][0]["args"])
    assert "--maxmemory-policy noeviction" in broker_args
    assert "--appendonly yes" in broker_args
    assert "--maxmemory-policy allkeys-lru" in cache_args
    assert config["CELERY_BROKER_URL"].startswith("redis://mitmachen-redis-broker:6379/")
    assert config["CACHE_URL"].startswith("redis://mitmachen-redis-cache:6379/")
    for name, deployment in (("mitmachen-redis-broker", broker), ("mitmachen-redis-cache", cache)):
        service = one(overlay, "Service", name)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()


def test_the_ingress_serves_the_configured_host_over_tls_with_room_for_five_images(overlay):
    ingress = one(overlay, "Ingress", "mitmachen")
    config = named(overlay, "ConfigMap", "mitmachen-config")["data"]
    [rule] = ingress["spec"]["rules"]
    [tls] = ingress["spec"]["tls"]
    assert tls["hosts"] == [rule["host"]]
    assert tls["secretName"]
    assert rule["host"] in config["ALLOWED_HOSTS"].split(",")
    assert config["SITE_URL"] == f"https://{rule['host']}"
    size = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()
    assert int(number) * {"": 1, "k": 1024, "m": 1024**2}[unit] >= (
        settings.MITMACHEN_MAX_REQUEST_BYTES
    )
    backend = rule["http"]["paths"][0]["backend"]["service"]
    web = one(overlay, "Service", backend["name"])
    assert backend["port"]["name"] in {port["name"] for port in web["spec"]["ports"]}


def test_postgres_is_backed_up_by_the_operator_every_night(overlay):
    cluster = one(overlay, "Cluster", "mitmachen-db")
    store = one(overlay, "ObjectStore", "mitmachen-db-backups")
    backup = one(overlay, "ScheduledBackup", "mitmachen-db-nightly")
    [plugin] = cluster["spec"]["plugins"]
    assert plugin["isWALArchiver"] is True
    assert plugin["parameters"]["barmanObjectName"] == store["metadata"]["name"]
    assert backup["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert backup["spec"]["pluginConfiguration"]["name"] == plugin["name"]
    assert cluster["spec"]["instances"] >= 2
    # The operator reads this Secret by its plain name: it must exist without a hash suffix.
    credentials = store["spec"]["configuration"]["s3Credentials"]
    secret = one(overlay, "Secret", credentials["accessKeyId"]["name"])
    assert {credentials["accessKeyId"]["key"], credentials["secretAccessKey"]["key"]} <= set(
        secret["data"]
    )


def test_the_base_holds_no_secret(base):
    assert [doc["metadata"]["name"] for doc in base if doc["kind"] == "Secret"] == []
    config = named(base, "ConfigMap", "mitmachen-config")["data"]
    assert SECRET_NAMES & config.keys() == set()
    for name, spec in pod_specs(base).items():
        for container in spec["containers"]:
            for variable in container.get("env", []):
                assert "value" not in variable, (name, variable["name"])
    for path in (KUBERNETES / "base").iterdir():
        text = path.read_text()
        for secret in SECRET_NAMES - {"DATABASE_URL"}:
            assert not re.search(rf"{secret}\s*[=:]\s*\S", text), (path.name, secret)


def test_the_overlay_puts_secrets_only_into_the_secret(overlay):
    config = named(overlay, "ConfigMap", "mitmachen-config")["data"]
    secret = named(overlay, "Secret", "mitmachen-secrets")["data"]
    assert SECRET_NAMES & config.keys() == set()
    assert {"SECRET_KEY", "SMTP_PASSWORD", "S3_SECRET_ACCESS_KEY"} <= secret.keys()


def test_the_recovery_cluster_restores_from_the_archive_without_writing_into_it(overlay):
    [recovery] = list(
        yaml.safe_load_all((KUBERNETES / "restore" / "mitmachen-db-recovery.yaml").read_text())
    )
    custom_validate(recovery)
    cluster = one(overlay, "Cluster", "mitmachen-db")
    store = one(overlay, "ObjectStore", "mitmachen-db-backups")
    # Same name: the operator writes the owner's Secret mitmachen-db-app again for the pods.
    assert recovery["metadata"]["name"] == cluster["metadata"]["name"]
    [source] = recovery["spec"]["externalClusters"]
    assert recovery["spec"]["bootstrap"]["recovery"]["source"] == source["name"]
    assert source["plugin"]["parameters"] == {
        "barmanObjectName": store["metadata"]["name"],
        "serverName": cluster["metadata"]["name"],  # the archive the base cluster writes
    }
    [archiver] = recovery["spec"]["plugins"]
    assert archiver["isWALArchiver"] is True
    assert archiver["parameters"]["serverName"] != source["plugin"]["parameters"]["serverName"]
    initdb = cluster["spec"]["bootstrap"]["initdb"]
    restored = recovery["spec"]["bootstrap"]["recovery"]
    assert (restored["database"], restored["owner"]) == (initdb["database"], initdb["owner"])
