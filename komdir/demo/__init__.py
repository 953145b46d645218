"""Demo data for `make run` and the benchmarks: accounts, contributions, circles and meetings, and
the large data set. Above every app: it writes through their services."""
