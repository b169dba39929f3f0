"""Use cases: each takes a unit of work, the time and the poster."""
