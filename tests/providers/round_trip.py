"""The hypothesis profiles of the property round trips: `<platform>-suite` (a few derandomized examples, so
the suite does not flake) and `<platform>-bench` (many random ones, for `bench/`), picked by the
environment."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]


def round_trip_profile(platform: str, suite: int, bench: int) -> settings:
    """Register both profiles of `platform`; return the one `<PLATFORM>_ROUND_TRIP_PROFILE` names (the suite's
    by default), with `<PLATFORM>_ROUND_TRIP_EXAMPLES` examples when that is set."""
    common = {"database": None, "deadline": None, "suppress_health_check": QUIET}
    settings.register_profile(f"{platform}-suite", max_examples=suite, derandomize=True, **common)
    settings.register_profile(f"{platform}-bench", max_examples=bench, print_blob=True, **common)
    variable = f"{platform.upper()}_ROUND_TRIP"
    profile = settings.get_profile(os.environ.get(f"{variable}_PROFILE", f"{platform}-suite"))
    if f"{variable}_EXAMPLES" in os.environ:
        profile = settings(profile, max_examples=int(os.environ[f"{variable}_EXAMPLES"]))
    return profile
