"""Real identity providers run in their own processes for the SSO tests (127.0.0.1 only)."""
