"""Rules: the interface, the built-in families, YAML rule packs, plugins and the registry."""
