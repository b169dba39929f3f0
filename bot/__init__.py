"""Quizmaster: one Django question a day in Slack."""
