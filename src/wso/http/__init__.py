"""Shared HTTP plumbing: auth, sessions, CSRF, security headers, the error mapper, templating and the route
builders; imported by every area's API router and pages, importing none of them.
"""
