"""The data step: raw files as printed -> the processed observations, derived figures and checks."""
