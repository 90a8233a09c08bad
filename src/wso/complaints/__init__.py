"""Complaints and their clocks (C1-C5): service, API router, pages, templates."""
