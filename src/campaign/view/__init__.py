"""The report: findings -> words (one catalogue per language), tables and charts for the notebooks."""
