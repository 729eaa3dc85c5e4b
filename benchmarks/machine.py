"""What the benchmark ran on, stated with its results."""

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def describe(*, wrk: str, postgres: str, chromium: bool) -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in _read("/etc/os-release").splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    chromium_version = "-"
    if chromium and Path("/usr/bin/chromium").exists():
        result = subprocess.run(
            ["/usr/bin/chromium", "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        chromium_version = result.stdout.strip().splitlines()[-1] if result.stdout else "-"
    return {
        "cpu": cpu,
        "cpus_online": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": os_name,
        "kernel": platform.release(),
        "virtualisation": _virtualisation(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "django": _version("django"),
        "gunicorn": _version("gunicorn"),
        "psycopg": _version("psycopg"),
        "postgresql": postgres,
        "wrk": wrk,
        "chromium": chromium_version,
        "playwright": _version("playwright"),
    }


def _virtualisation() -> str:
    flags = _read("/proc/cpuinfo")
    if " hypervisor" in flags:
        vendor = _read("/sys/class/dmi/id/sys_vendor").strip()
        return f"virtual machine{f' ({vendor})' if vendor else ''}"
    return "none detected"


def summary(machine: dict) -> str:
    return (
        f"{machine['cpu']}, {machine['cpus_usable']} usable CPU(s) of "
        f"{machine['cpus_online']}, {machine['memory_gb']} GB RAM, {machine['os']} "
        f"(Linux {machine['kernel']}, {machine['virtualisation']}); Python {machine['python']}, "
        f"Django {machine['django']}, gunicorn {machine['gunicorn']}, psycopg "
        f"{machine['psycopg']}, PostgreSQL {machine['postgresql']}, {machine['wrk']}, "
        f"{machine['chromium']}. Load average at start: "
        f"{', '.join(str(x) for x in machine['load_average_at_start'])}."
    )
