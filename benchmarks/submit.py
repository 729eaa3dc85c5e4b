"""The submission run: citizens submit an idea with photos at the same moment, over HTTP,
through the real form (signed in through the login form, CSRF token, multipart upload).

Each citizen: GET the login page, POST e-mail and password, GET the call's idea form, then,
when all are ready, POST the form with its photos and "submit". The POST's time to the
answer (302 to the confirmation page) is the server's time for the submission; on loopback
the upload itself takes milliseconds.
"""

import io
import os
import re
import threading
import time
from pathlib import Path

import requests

PASSWORD = "benchmark-citizen-password-1"  # noqa: S105 - a throwaway account in bench_*
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]*)"')


def make_photos(folder: Path, count: int, megabytes: float) -> list[Path]:
    """Real JPEGs of about `megabytes` each (12 megapixels at full size), made once per run."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    target = megabytes * 1e6
    scale = max(0.05, min(1.0, megabytes / 3.0)) ** 0.5
    width, height = int(4000 * scale), int(3000 * scale)
    photos = []
    for number in range(count):
        path = folder / f"photo-{number}-{megabytes:g}mb.jpg"
        if not path.exists():
            grain = Image.frombytes(
                "L", (width // 4, height // 4), os.urandom(width * height // 16)
            ).resize((width, height))
            sky = Image.linear_gradient("L").resize((width, height)).rotate(90 * number)
            image = Image.merge("RGB", (sky, grain, Image.blend(sky, grain, 0.5)))
            for quality in (85, 80, 75, 70, 60, 50):
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=quality)
                if buffer.tell() <= target * 1.1:
                    break
            path.write_bytes(buffer.getvalue())
        photos.append(path)
    return photos


def citizens(count: int) -> list[str]:
    """Accounts with a verified address and a password (one hash for all: hashing is slow)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password(PASSWORD)
    emails = []
    for number in range(count):
        email = f"bench-citizen-{number:03d}@example.org"
        user, _ = User.objects.update_or_create(
            email=email, defaults={"password": password, "display_name": f"Bürgerin {number}"}
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        emails.append(email)
    return emails


class Citizen:
    """One browser: cookies kept by hand, since production marks them Secure and the
    benchmark speaks plain HTTP on loopback."""

    def __init__(self, base_url: str, email: str):
        self.base_url, self.email = base_url, email
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Accept-Language": "de", "Referer": self.base_url + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method,
            self.base_url + path,
            headers=headers,
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def sign_in(self, login_path: str) -> None:
        page = self.request("GET", login_path)
        answer = self.request(
            "POST",
            login_path,
            data={
                "login": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login answered {answer.status_code}")

    def open_form(self, form_path: str) -> dict:
        page = self.request("GET", form_path)
        if page.status_code != 200:
            raise RuntimeError(f"the idea form answered {page.status_code}")
        token = FORM_TOKEN.search(page.text)
        return {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "form_token": token.group(1) if token else "",
        }


def form_data(hidden: dict, number: int, field_slugs: list[str], quarter_id: int) -> dict:
    return {
        **hidden,
        "title": f"Trinkbrunnen am Marktplatz {number}",
        "summary": "Öffentliche Trinkbrunnen an Plätzen und Haltestellen.",
        "description": "Trinkbrunnen mit Sensoren, die melden, wenn Wartung nötig ist. "
        "Eine Karte zeigt, wo der nächste steht.",
        "problem": "Im Sommer fehlt an vielen Plätzen Trinkwasser.",
        "benefit": "Gesundheit, weniger Plastikflaschen, belebte Plätze.",
        "target_groups": "Alle, besonders Kinder und Ältere",
        "action_fields": field_slugs[:2],
        "primary_field": field_slugs[0],
        "quarters": [str(quarter_id)],
        "consent": "on",
        "intent": "submit",
        # Many citizens send the same idea: each has seen the similar ones (the step before
        # submitting) already, so this measures the submission, not that step.
        "similar_seen": "1",
    }


def measure_submissions(base_url: str, *, count: int, photos: list[Path]) -> dict:
    """`count` citizens sign in, open the form, then all POST at once."""
    from django.urls import reverse

    from fields.models import ActionField, Quarter
    from ideas.models import Call

    call = next(c for c in Call.objects.filter(published=True) if c.is_open())
    form_path = reverse("ideas:idea-create", kwargs={"slug": call.slug})
    login_path = reverse("account_login") + "?next=" + form_path
    fields = list(ActionField.objects.active().values_list("pk", flat=True)[:2])
    quarter = Quarter.objects.filter(active=True).values_list("pk", flat=True).first()
    people = [Citizen(base_url, email) for email in citizens(count)]
    images = [path.read_bytes() for path in photos]
    hidden, errors = {}, []
    for number, person in enumerate(people):
        try:
            person.sign_in(login_path)
            hidden[number] = person.open_form(form_path)
        except (RuntimeError, AttributeError, requests.RequestException) as error:
            errors.append(f"{person.email}: {error}")
    ready = [number for number in range(count) if number in hidden]
    start = threading.Barrier(len(ready)) if ready else None
    seconds: dict[int, float] = {}
    lock = threading.Lock()

    def submit(number: int) -> None:
        person = people[number]
        data = form_data(hidden[number], number, [str(pk) for pk in fields], quarter)
        files = [
            ("images", (f"foto-{index}.jpg", content, "image/jpeg"))
            for index, content in enumerate(images)
        ]
        start.wait()
        t0 = time.perf_counter()
        try:
            answer = person.request("POST", form_path, data=data, files=files)
        except requests.RequestException as error:
            with lock:
                errors.append(f"{person.email}: {error}")
            return
        elapsed = time.perf_counter() - t0
        with lock:
            if answer.status_code == 302 and "/eingereicht/" in answer.headers.get("Location", ""):
                seconds[number] = elapsed
            else:
                errors.append(f"{person.email}: HTTP {answer.status_code} after {elapsed:.1f} s")

    threads = [threading.Thread(target=submit, args=(number,)) for number in ready]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    times = sorted(seconds.values())

    def share(part: float) -> float | None:
        if not times:
            return None
        return round(times[min(len(times) - 1, int(part * len(times)))] * 1000, 1)

    return {
        "citizens": count,
        "photos_per_idea": len(photos),
        "photo_mb": round(sum(len(c) for c in images) / len(images) / 1e6, 2) if images else 0,
        "submitted": len(times),
        "errors": errors,
        "p50_ms": share(0.5),
        "p95_ms": share(0.95),
        "max_ms": round(times[-1] * 1000, 1) if times else None,
        "wall_s": round(wall, 2),
    }
