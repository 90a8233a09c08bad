"""The web shell: FastAPI app, server-rendered pages and the versioned JSON API."""
