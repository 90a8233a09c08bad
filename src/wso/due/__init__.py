"""What is due for an agency, ordered by deadline: service, page, template."""
