"""Passwords, API tokens and sign-in throttling."""
