"""Agreements (MOA): signatures, notices, meetings: service, API router, pages, templates."""
