"""Thin Bolt listeners: parse, store what must not be lost, ack, then do the slow work."""
