"""Online checks against public registries (NPPES, data.cms.gov).

Import the submodules directly (``pecoscheck.online.nppes``); this package
imports nothing heavy so that offline commands stay fast.
"""
