"""The version of the data generator's output (no Django imports, so the benchmark runner can read it).

Bump it when ``waardewerk generate`` produces differently shaped data: cached benchmark databases whose
marker names another version are generated again.
"""

GENERATOR_VERSION = 7
