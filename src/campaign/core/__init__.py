"""The domain core: quantities with their intervals, the registers, the run's settings and languages.

Everything else builds on this layer; it imports nothing from the layers above it.
"""
