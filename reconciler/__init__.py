"""reconciler: campaign-as-code for advertising platforms."""
