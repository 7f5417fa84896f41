"""Scenarios and the runs behind the ``hostbill-core simulate`` command."""
