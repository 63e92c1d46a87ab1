"""The version of okr, in one place (read by the package, the cache and the build)."""

__version__ = "0.1.0"
