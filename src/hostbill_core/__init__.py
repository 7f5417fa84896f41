"""hostbill_core."""
