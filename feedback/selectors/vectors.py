"""Every stored vector of the current model in one numpy matrix per process, searched brute force.

The matrix is loaded once, then topped up with the rows inserted since (vector rows are never
updated, only replaced by new rows with higher ids), so a query costs one `MAX(id)` look-up (the
similar search folds it into its texts query) and one matrix-vector product. Deletions are
noticed by a row count, checked when new rows arrive and at most every `recount_seconds`
otherwise; until then a deleted row's vector may still be scored, and the caller drops it when
its text is not found.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from feedback import embeddings
from feedback.models import TextEmbedding
from feedback.models.semantic import KINDS
from feedback.semantic import shortlist

_CODES = {kind: code for code, kind in enumerate(KINDS)}


class VectorIndex:
    """The vectors of one model; thread-safe; `clock` is injectable for tests."""

    def __init__(
        self,
        model_key: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        recount_seconds: float = 30.0,
    ) -> None:
        self.model_key = model_key
        self._clock = clock
        self._recount_seconds = recount_seconds
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._matrix = np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
        self._kinds = np.zeros(0, dtype=np.int8)
        self._ids = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._size = 0
        self._position: dict[tuple[int, int], int] = {}
        self._last_pk = 0
        self._max_object = dict.fromkeys(_CODES.values(), 0)
        self._counted_at = float("-inf")

    # -- loading -------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Load rows inserted since the last call; reload everything if rows were deleted."""
        rows = TextEmbedding.objects.filter(model=self.model_key)
        with self._lock:
            if force:
                self._reset()
            latest = latest_id(self.model_key)
            grew = latest > self._last_pk
            if grew:
                self._append(rows.filter(id__gt=self._last_pk).order_by("id"))
            if grew or self.recount_due() or latest < self._last_pk:
                self._counted_at = self._clock()
                if rows.count() != len(self._position):
                    self._reset()
                    self._append(rows.order_by("id"))
                    self._counted_at = self._clock()

    def _append(self, qs: Iterable[TextEmbedding]) -> None:
        fetched = qs.values_list("id", "kind", "object_id", "vector").iterator(chunk_size=4096)  # type: ignore[attr-defined]
        for chunk in _chunked(fetched, 4096):
            vectors = np.stack([embeddings.from_bytes(row[3]) for row in chunk])
            self._grow(len(chunk))
            for offset, (pk, kind, object_id, _) in enumerate(chunk):
                code = _CODES[kind]
                old = self._position.get((code, object_id))
                if old is not None:
                    self._alive[old] = False
                at = self._size + offset
                self._position[(code, object_id)] = at
                self._kinds[at] = code
                self._ids[at] = object_id
                self._alive[at] = True
                self._max_object[code] = max(self._max_object[code], object_id)
                self._last_pk = max(self._last_pk, pk)
            self._matrix[self._size : self._size + len(chunk)] = vectors
            self._size += len(chunk)

    def _grow(self, extra: int) -> None:
        need = self._size + extra
        if need <= self._matrix.shape[0]:
            return
        capacity = max(need, 2 * self._matrix.shape[0], 1024)
        matrix = np.zeros((capacity, embeddings.DIMENSIONS), dtype=np.float32)
        matrix[: self._size] = self._matrix[: self._size]
        self._matrix = matrix
        for name in ("_kinds", "_ids", "_alive"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: self._size] = old[: self._size]
            setattr(self, name, new)

    # -- reading -------------------------------------------------------------------------------

    @property
    def last_pk(self) -> int:
        """The highest vector row id loaded: `latest_id()` above it means rows to load."""
        return self._last_pk

    def recount_due(self) -> bool:
        return self._clock() - self._counted_at >= self._recount_seconds

    def __len__(self) -> int:
        return len(self._position)

    def nbytes(self) -> int:
        """Memory the index holds (matrix at its capacity, plus the per-row arrays)."""
        arrays = self._matrix.nbytes + self._kinds.nbytes + self._ids.nbytes + self._alive.nbytes
        return int(arrays)

    def vector(self, kind: str, object_id: int) -> npt.NDArray[np.float32] | None:
        at = self._position.get((_CODES[kind], object_id))
        return None if at is None else self._matrix[at].copy()

    def max_object_id(self, kind: str) -> int:
        """The highest id of `kind` with a vector: newer rows are still waiting for the job."""
        return self._max_object[_CODES[kind]]

    def search(
        self,
        query: npt.NDArray[np.float32],
        *,
        kinds: Sequence[str],
        only: dict[str, list[int]] | None = None,
        k: int,
    ) -> list[tuple[str, int, float]]:
        """(kind, id, cosine) of the `k` best rows of `kinds`; `only` narrows a kind to ids."""
        only = only or {}
        names = list(KINDS)
        with self._lock:
            positions = self._candidates(kinds, only)
            if positions is None:
                cosines = self._matrix[: self._size] @ query
                cosines[~self._allowed(kinds)] = -np.inf
                top = shortlist(cosines, k)
                found = [(i, cosines[i]) for i in top]
            else:
                cosines = self._matrix[positions] @ query
                found = [(positions[i], cosines[i]) for i in shortlist(cosines, k)]
            return [
                (names[self._kinds[i]], int(self._ids[i]), float(c))
                for i, c in found
                if np.isfinite(c)
            ]

    def _allowed(self, kinds: Sequence[str]) -> npt.NDArray[np.bool_]:
        codes = [_CODES[k] for k in kinds]
        wanted = np.isin(self._kinds[: self._size], codes)
        return np.asarray(wanted & self._alive[: self._size])

    def _candidates(
        self, kinds: Sequence[str], only: dict[str, list[int]]
    ) -> npt.NDArray[np.intp] | None:
        """Positions to score when some kind is narrowed to listed ids, else None (score all)."""
        if not any(kind in only for kind in kinds):
            return None
        picked: list[int] = []
        for kind in kinds:
            code = _CODES[kind]
            if kind in only:
                found = (self._position.get((code, i)) for i in only[kind])
                picked.extend(at for at in found if at is not None)
            else:
                picked.extend(np.flatnonzero(self._allowed([kind])).tolist())
        return np.asarray(sorted(picked), dtype=np.intp)


def latest_id(model_key: str) -> int:
    """MAX(id) of the model's vectors: one index look-up (raw SQL: the ORM's aggregate costs
    several times the query itself)."""
    table = TextEmbedding._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT MAX("id") FROM "{table}" WHERE "model" = %s', [model_key])
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def _chunked(rows: Iterable[tuple[Any, ...]], size: int) -> Iterable[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_shared: dict[str, VectorIndex] = {}
_shared_lock = threading.Lock()


def shared_index(*, top_up: bool = True) -> VectorIndex:
    """This process's index for the installed model, brought up to date; with `top_up=False`
    only loaded (first use) and recounted (when due): the caller asks `latest_id()` itself,
    in a query it makes anyway, and calls `refresh()` when that differs from `last_pk`."""
    key = embeddings.model_key()
    with _shared_lock:
        index = _shared.get(key)
        if index is None:
            index = _shared[key] = VectorIndex(key)
    if top_up or index.recount_due():
        index.refresh()
    return index


def forget_shared() -> None:
    """Drop this process's indexes (tests: a rolled-back transaction can reuse vector ids)."""
    with _shared_lock:
        _shared.clear()
