"""The sentence encoder is loaded once per test session (~1.5 s); every test and the app's jobs share it."""

from __future__ import annotations

import pytest

from search.matching.embeddings import UniversalSentenceEncoder, default_encoder


@pytest.fixture(scope="session")
def encoder() -> UniversalSentenceEncoder:
    loaded = default_encoder()  # the process's one encoder: the app's matching jobs use it too
    loaded.encode(["warm up"])
    return loaded
