"""The application layer: each use case opens a unit of work, loads, calls engines, saves."""
