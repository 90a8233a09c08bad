"""Agencies and their facilities: service, API router, pages, templates."""
