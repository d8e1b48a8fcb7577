"""The Amazon DSP provider (Amazon Ads API, /dsp/v1): campaigns, ad groups, targets, creative associations."""
