"""The analyses: processed data -> findings (records, no prose), one module per campaign task."""
