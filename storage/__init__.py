"""Persistence: SQLAlchemy rows behind repositories and a unit of work."""
