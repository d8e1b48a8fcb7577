"""A tiny platform of the tests' own — one kind (`thing`), an in-memory emulator — registered with one line
(`FAKE` below) to show that a platform is its own packages plus one registration."""

from __future__ import annotations

from reconciler.registry import Platform

FAKE = Platform(
    "fake",
    "Fake Ads",
    "/fake",
    modules={
        "manifest": "tests.fake_platform.manifest:MANIFEST",
        "settings": "tests.fake_platform.settings:SETTINGS",
        "rules": "tests.fake_platform.rules:validate",
        "provider": "tests.fake_platform.provider:PROVIDER",
        "emulator": "tests.fake_platform.emulator",
    },
)
