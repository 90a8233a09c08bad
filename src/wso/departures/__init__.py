"""Officers who leave: departure notices and reasons: service, API router, CLI."""
