"""make e2e-faults: see __main__.py."""
