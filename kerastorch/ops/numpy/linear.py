"""Placeholder: filled by the ops work in progress."""

__all__: list[str] = []
