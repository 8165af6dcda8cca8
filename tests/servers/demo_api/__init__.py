"""Sextant demo API (FastAPI). The app is `demo_api.app:app`."""
