"""Load and page-weight benchmarks of the public pages: `python -m benchmarks.run`."""
