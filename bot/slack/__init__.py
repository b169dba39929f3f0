"""The Slack edge: Bolt listeners, Block Kit rendering, Web API calls."""
