import time

from discussion.forms import started_token


def form_data(**fields) -> dict:
    """What a person's browser sends: the honeypot empty, the form shown a minute ago."""
    return {"website": "", "started": started_token(time.time() - 60), **fields}
