"""Fuzzy similarity of each roster name that found no exact match (int_name_match_inputs, role
'query') to every candidate name: rapidfuzz's fuzz.ratio (0-100, the normalised Indel similarity of
the two keys), vectorised with process.cdist over distinct names, in chunks of queries.

Only the best few candidates per query are kept (TOP_K, score >= FLOOR): enough to decide between
one candidate and several above the threshold, and to show the closest miss on the unmatched list.
The threshold itself (setting fuzzy_match_threshold) is applied in SQL (int_name_resolution).
"""

TOP_K = 5
FLOOR = 50.0
CHUNK_CELLS = 8_000_000  # queries x candidates per cdist call (float32: 32 MB)


def model(dbt, session):
    dbt.config(materialized="table")
    import numpy as np
    import pyarrow as pa
    from rapidfuzz import fuzz, process

    inputs = dbt.ref("int_name_match_inputs")
    queries = [r[0] for r in inputs.filter("role = 'query'").project("name_key").distinct().order("name_key").fetchall()]
    candidates = [r[0] for r in inputs.filter("role = 'candidate'").project("name_key").distinct().order("name_key").fetchall()]
    out_q, out_c, out_s = [], [], []
    if queries and candidates:
        cand = np.array(candidates, dtype=object)
        position = {c: i for i, c in enumerate(candidates)}
        k = min(TOP_K, len(candidates))
        step = max(1, CHUNK_CELLS // len(candidates))
        for start in range(0, len(queries), step):
            chunk = queries[start:start + step]
            scores = process.cdist(chunk, candidates, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
            own = [(i, position[q]) for i, q in enumerate(chunk) if q in position]
            if own:  # a query is never its own candidate
                scores[tuple(zip(*own))] = -1
            top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            top_scores = np.take_along_axis(scores, top, axis=1)
            rows, cols = np.nonzero(top_scores >= FLOOR)
            out_q.extend(np.array(chunk, dtype=object)[rows].tolist())
            out_c.extend(cand[top[rows, cols]].tolist())
            out_s.extend(np.round(top_scores[rows, cols].astype(float), 1).tolist())
    return pa.table({
        "query_key": pa.array(out_q, type=pa.string()),
        "candidate_key": pa.array(out_c, type=pa.string()),
        "score": pa.array(out_s, type=pa.float64()),
    })
