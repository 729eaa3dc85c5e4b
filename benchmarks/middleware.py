"""Counts the SQL queries of each request and reports them in response headers."""

import time

from django.db import connections

QUERIES_HEADER = "X-Bench-Queries"
SQL_MS_HEADER = "X-Bench-SQL-ms"
APP_MS_HEADER = "X-Bench-App-ms"


class _Counter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class QueryCountMiddleware:
    """Adds X-Bench-Queries (SQL statements run for this request), X-Bench-SQL-ms (their time)
    and X-Bench-App-ms (time spent inside Django) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(counter.count)
        response[SQL_MS_HEADER] = f"{counter.seconds * 1000:.2f}"
        response[APP_MS_HEADER] = f"{(time.perf_counter() - start) * 1000:.2f}"
        return response
