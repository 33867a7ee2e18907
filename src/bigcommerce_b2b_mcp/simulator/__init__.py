"""A faithful in-process simulator of the B2B Edition server-to-server API."""
