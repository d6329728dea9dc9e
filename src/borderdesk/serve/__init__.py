"""The server: one ASGI app made of the JSON API and the dashboard pages (``create_app(db_path)``).

The top layer: it alone imports both HTTP shells. ``borderdesk serve`` starts it by name
(``borderdesk.serve:app_from_environment``), so the CLI does not import it either.
"""

from borderdesk.serve.app import app_from_environment, create_app, data_version, open_read_only

__all__ = ["app_from_environment", "create_app", "data_version", "open_read_only"]
