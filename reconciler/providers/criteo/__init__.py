"""The Criteo Marketing Solutions provider (API 2027-01): campaigns and ad sets."""
