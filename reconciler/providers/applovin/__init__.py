"""The AppLovin AppDiscovery provider (Campaign Management API v1): campaigns, targets, creative sets,
assets, ads, source bids and sources."""
