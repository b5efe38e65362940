"""Server-rendered web pages: overview, vulnerability map, personnel and units (see docs/web.md)."""
