"""The ratio's reduction of claim lines: the distinct (provider, PC4, client) triples of a claim set,
with each client id coded into one dictionary for the whole set (`Triples`), built on a thread of its own
while the workers of `scan.py` read."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _arrow as arrow
from . import read
from .hashing import SHARDS, shard_of
from .lines import LOW_32, PC4_KEY, USED, Checked, Reduction, distinct

MERGE_AT = 4_000_000  # triples kept before they are merged into one distinct set
RECODE_AT = 1 << 20  # batch clients gathered (at least) before they are coded into the one dictionary

@dataclass
class BatchTriples:
    """Distinct (provider, PC4, client) of a batch's used lines, split by the client's shard: per shard
    `areas` (provider id * PC4_KEY + PC4) and `codes` into `clients` (the batch's distinct client ids of
    that shard)."""

    areas: list[np.ndarray]
    codes: list[np.ndarray]
    clients: list[pa.Array]


class RatioReduction(Reduction):
    def __init__(self, claims_year: int) -> None:
        self._claims_year = claims_year

    def claims_year(self) -> int:
        return self._claims_year

    def reduce(self, batch: pa.RecordBatch, checked: Checked) -> BatchTriples:
        used = np.flatnonzero(checked.state == USED)
        clients = pc.dictionary_encode(batch.column("client_id").take(arrow.from_numpy(used)))
        areas = checked.provider[used] * PC4_KEY + checked.pc4[used]
        triples = distinct((areas << 32) | arrow.to_numpy(clients.indices))
        codes = triples & LOW_32
        # Each distinct client of the batch numbered within its shard; the triples grouped by shard.
        shard = shard_of(clients.dictionary)
        by_shard = np.argsort(shard, kind="stable")
        sizes = np.bincount(shard, minlength=SHARDS)
        first = np.cumsum(sizes) - sizes
        within = np.empty(len(shard), np.int64)
        within[by_shard] = np.arange(len(shard)) - first[shard[by_shard]]
        triple_shard = shard[codes]
        order = np.argsort(triple_shard, kind="stable")
        bounds = np.searchsorted(triple_shard[order], np.arange(SHARDS + 1))
        ordered_areas, ordered_codes = (triples >> 32)[order], within[codes[order]]
        names = clients.dictionary.take(arrow.from_numpy(by_shard))
        return BatchTriples([ordered_areas[bounds[k]:bounds[k + 1]] for k in range(SHARDS)],
                            [ordered_codes[bounds[k]:bounds[k + 1]] for k in range(SHARDS)],
                            [names.slice(first[k], sizes[k]) for k in range(SHARDS)])


class _Shard:
    """The dictionary of one shard's client ids and the batches waiting to be coded into it."""

    def __init__(self) -> None:
        self.dictionary = arrow.array([], pa.string())
        self.pending: list[tuple[np.ndarray, np.ndarray, pa.Array]] = []
        self.pending_clients = 0


class Triples:
    """The distinct (provider, PC4, client) triples of the batches seen so far, each client as a code
    into one dictionary of client ids for the whole claim set.

    Client ids are coded in SHARDS dictionaries by a hash of the id (code = code in its shard * SHARDS +
    shard), each re-coded on its own once the ids waiting for it are twice as many as it holds: the
    cost follows the batches' distinct clients, and each hash table stays a sixteenth of the size (one
    7-million-id table cost 1.4 s, sixteen of a sixteenth 0.8 s). The triples are made distinct again
    once as many have gathered as the last merge kept (and at least `MERGE_AT`): memory follows the
    distinct triples, not the file length, and each triple is merged a few times only.

    The coding and merging run on a thread of their own, fed batches in file order: done on the thread
    that collects the workers' results, a long re-coding held up the whole pipeline of workers.
    """

    def __init__(self) -> None:
        self._shards = [_Shard() for _ in range(SHARDS)]
        self._keys: list[np.ndarray] = []
        self._rows = 0
        self._merged_rows = 0
        self._queue: queue.Queue[BatchTriples | None] = queue.Queue(maxsize=4 * read.WORKERS)
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="claims-triples", daemon=True)
        self._thread.start()

    def add(self, batch: BatchTriples) -> None:
        if self._failed:
            raise self._failed[0]
        self._queue.put(batch)

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._failed:
                continue  # keep draining, so that `add` never blocks on a full queue
            try:
                self._add(batch)
            except BaseException as exc:  # handed to the reading thread by `add` or `distinct`
                self._failed.append(exc)

    def _add(self, batch: BatchTriples) -> None:
        for k, shard in enumerate(self._shards):
            if not len(batch.areas[k]):
                continue
            shard.pending.append((batch.areas[k], batch.codes[k], batch.clients[k]))
            shard.pending_clients += len(batch.clients[k])
            if shard.pending_clients >= max(RECODE_AT // SHARDS, 2 * len(shard.dictionary)):
                self._recode(k)

    def _recode(self, k: int) -> None:
        self._keep(self._coded(k))
        if self._rows - self._merged_rows >= max(MERGE_AT, self._merged_rows):
            merged = distinct(np.concatenate(self._keys), runs=True, in_place=True)
            self._keys = [merged]
            self._rows = self._merged_rows = len(merged)

    def _coded(self, k: int) -> list[np.ndarray]:
        """The triples waiting for shard `k`, their clients coded into its dictionary (which grows by the
        new ones). Touches only shard `k`: the shards may be coded at the same time."""
        shard = self._shards[k]
        if not shard.pending:
            return []
        known = len(shard.dictionary)
        encoded = pc.dictionary_encode(pa.concat_arrays([shard.dictionary, *(c for _, _, c in shard.pending)]))
        indices = arrow.to_numpy(encoded.indices).astype(np.int64) * SHARDS + k
        shard.dictionary = encoded.dictionary  # the known clients keep their codes: they come first
        coded, at = [], known
        for areas, codes, clients in shard.pending:
            coded.append((areas << 32) | indices[at: at + len(clients)][codes])
            at += len(clients)
        shard.pending, shard.pending_clients = [], 0
        return coded

    def _keep(self, coded: list[np.ndarray]) -> None:
        self._keys.extend(coded)
        self._rows += sum(map(len, coded))

    def close(self) -> None:
        """Stop the coding thread (also when reading failed half-way)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def distinct(self) -> tuple[np.ndarray, int]:
        """(sorted distinct triples as area key << 32 | client code, the number of client codes).

        The reading is over and this is all the run does: the shards are coded, and the triples merged,
        on both cores (NumPy's sort and Arrow's hashing let go of the GIL)."""
        self.close()
        if self._failed:
            raise self._failed[0]
        with ThreadPoolExecutor(max_workers=read.WORKERS, thread_name_prefix="claims-triples") as pool:
            for coded in pool.map(self._coded, range(SHARDS)):
                self._keep(coded)
            keys = _merged(self._keys, pool)
        self._keys = [keys]
        return keys, SHARDS * max(len(s.dictionary) for s in self._shards)


def _merged(parts: list[np.ndarray], pool: ThreadPoolExecutor) -> np.ndarray:
    """The distinct values of `parts`, sorted, each part sorted by area key (the high 32 bits): cut at the
    middle area of the largest part, every part's lower and upper values are merged on a thread each."""
    if not parts:
        return np.zeros(0, np.int64)
    largest = max(parts, key=len)
    middle = (largest[len(largest) // 2] >> 32) << 32 if len(largest) else 0
    cuts = [int(np.searchsorted(part, middle)) for part in parts]
    lower = [part[:cut] for part, cut in zip(parts, cuts, strict=True)]
    upper = [part[cut:] for part, cut in zip(parts, cuts, strict=True)]
    halves = pool.map(lambda half: distinct(np.concatenate(half), runs=True, in_place=True), (lower, upper))
    return np.concatenate(list(halves))


__all__ = ["MERGE_AT", "RECODE_AT", "BatchTriples", "RatioReduction", "Triples"]
