"""The local web dashboard (``multipolar serve``): see :mod:`multipolar.web.app`."""
from .app import create_app

__all__ = ["create_app"]
