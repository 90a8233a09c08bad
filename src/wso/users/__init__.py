"""Users, sign-in, sessions, API tokens and TOTP: services, API router, pages, CLI, templates."""
