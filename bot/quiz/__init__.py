"""The quiz domain: no Slack, no SQL; time comes in as an argument."""
