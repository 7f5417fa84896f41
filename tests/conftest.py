"""Test configuration: hypothesis profiles.

``CI`` set in the environment selects the ``ci`` profile: derandomised (the same examples on
every run, so a failure reproduces), no deadline (shared machines have noisy timings), and
enough examples to matter. Locally the ``dev`` profile explores randomly.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
