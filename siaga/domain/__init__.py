"""Domain vocabulary shared by every layer: forces, ranks, categories, levels, region codes.

Pure Python, no Django: the planning engine, the file formats and the Django apps all use it.
"""
