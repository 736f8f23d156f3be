"""The live layer of co-design sessions: adaptive coalescing, the per-process hub of sockets,
presence, and the Redis link between processes (docs/live.md)."""
