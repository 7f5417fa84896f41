"""Adapters implementing :mod:`hostbill_core.ports`.

- :mod:`~hostbill_core.adapters.memory`: in memory, for tests, notebooks and dry runs.
- :mod:`~hostbill_core.adapters.sqlite`: the embedded default, one SQLite file.
- :mod:`~hostbill_core.adapters.sql`: PostgreSQL or MySQL/MariaDB through SQLAlchemy Core
  (extras ``postgres`` and ``mysql``).
- :mod:`~hostbill_core.adapters.clock`: the system clock, and a clock set to a simulated
  instant.
- :mod:`~hostbill_core.adapters.rates`: exchange rates over time from a list (a rate table).

Import the one you need from its module; nothing here is imported eagerly, so the optional
drivers are only needed by the adapter that uses them.
"""
