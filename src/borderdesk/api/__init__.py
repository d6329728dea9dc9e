"""The HTTP shell: a FastAPI app over the core (``create_app(db_path)``), JSON under ``/api``."""

from borderdesk.api.app import create_app

__all__ = ["create_app"]
