"""Renderers: one module per kind of output, each a pure function from data to text."""
