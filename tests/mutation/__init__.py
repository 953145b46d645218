"""`make mutation`: see README.md, "Mutation testing", and [tool.mutmut] in pyproject.toml."""
