"""The printed counters and the base units they stand for (no heavy imports: the CLI uses it)."""

# Printed counter -> base unit. Longer counters first so that 人次 wins over 人.
COUNTERS: dict[str, str] = {
    "人次": "person_times",
    "元": "yuan",
    "人": "persons",
    "名": "persons",
    "户": "households",
    "个": "items",
    "项": "items",
    "期": "sessions",
    "次": "times",
    "%": "ratio",
}
BASE_UNITS = frozenset(COUNTERS.values())
