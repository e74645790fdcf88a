"""Notifications: the SMS gateway interface, its backends, and the task that sends."""
