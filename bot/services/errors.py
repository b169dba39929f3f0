"""Failures that are expected and safe to show a user."""


class QuizError(Exception):
    """Expected failure; the message is safe to show the user."""


class NotYet(Exception):
    """The event may belong to a question still being posted: Slack should send it again."""
