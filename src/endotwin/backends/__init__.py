"""Solver backends generated from the symbolic model: ``numba`` (CPU batch) and ``jax``."""

from .base import BACKENDS, BackendResult, get_backend

__all__ = ["BACKENDS", "BackendResult", "get_backend"]
