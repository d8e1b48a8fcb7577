"""Platform providers: one package per platform behind the `Provider` protocol; shared HTTP helpers."""
