"""Failures that are expected and safe to show a user."""


class QuizError(Exception):
    """Expected failure; the message is safe to show the user."""
