"""The application layer: each use case opens a unit of work, loads, calls engines, saves.

Payments: :mod:`~hostbill_core.usecases.payments` (one payment over several invoices).
Currency: :mod:`~hostbill_core.usecases.currency` (change a client's currency atomically).
Client lifecycle: :mod:`~hostbill_core.usecases.client_export` (GDPR data export),
:mod:`~hostbill_core.usecases.client_merge`, :mod:`~hostbill_core.usecases.client_anonymise`,
:mod:`~hostbill_core.usecases.client_status` (close, archive, soft delete) and
:mod:`~hostbill_core.usecases.profile` (profile edits with a change log and locked fields).
"""
