"""Hypothesis profiles for the fuzz suite: `ci` (about a minute in all) and `long` for local runs.

    BIBLIO_FUZZ_PROFILE=long python -m pytest tests/fuzz
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# A deadline far above any honest run (ms per input) that still stops exponential backtracking.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("BIBLIO_FUZZ_PROFILE", "ci"))
