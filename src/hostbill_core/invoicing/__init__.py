"""The invoicing engine: billable queue, grouping, service groups, lifecycle, credit, payments.

Every function here is pure: dates, numbers and ids come in as arguments, and results are
values with an ``explanation``.
"""
