"""Build tooling: execute notebooks with papermill and export them with nbconvert, fast.

A package of its own: it knows nothing of the campaign's domain.
"""
