"""Officers from nomination to authorization and what ends it: service, API router, pages."""
