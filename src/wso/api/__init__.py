"""The versioned JSON API (/api/v1), authenticated with bearer tokens; schema at /openapi.json."""
