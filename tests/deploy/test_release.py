"""The release's version agrees wherever an operator reads it: pyproject.toml, the newest
section of CHANGELOG.md (Keep a Changelog) and the image tag of the Kubernetes example."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
SEMVER = r"\d+\.\d+\.\d+"


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_changelog_names_this_release_first_below_unreleased():
    headings = re.findall(
        r"^## \[(.+?)\](?: - (\d{4}-\d{2}-\d{2}))?$",
        (ROOT / "CHANGELOG.md").read_text(),
        re.MULTILINE,
    )
    assert headings[0] == ("Unreleased", "")
    newest, date = headings[1]
    assert newest == version()
    assert re.fullmatch(SEMVER, newest)
    assert date
    versions = [tuple(int(part) for part in name.split(".")) for name, _ in headings[1:]]
    assert versions == sorted(versions, reverse=True)


def test_the_kubernetes_example_deploys_this_release():
    overlay = yaml.safe_load(
        (ROOT / "deploy/kubernetes/overlays/example/kustomization.yaml").read_text()
    )
    [image] = [image for image in overlay["images"] if image["name"] == "mitmachen"]
    assert image["newTag"] == version()
