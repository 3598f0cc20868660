// Shared helpers for the integration tests live in this target.
