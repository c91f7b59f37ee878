"""Emergent themes: informative comments that fit no taxonomy theme, clustered.

TF-IDF over content lemmas, then k-means for k = 2..6, keeping the k with the best
cosine silhouette; when no split reaches MIN_SILHOUETTE the comments stay one theme.
Clusters are labelled by the top terms of their centroid.  Designed for 1..40
comments: one comment is its own theme, two make two themes only if they share no
word, and from four comments on every theme holds at least two.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .results import EmergentTheme

MIN_SILHOUETTE = 0.05  # below this a split is noise: keep one theme
SILHOUETTE_SAMPLE = 3000  # comments the silhouette is computed on (a seeded sample beyond this)


def _label(terms: Sequence[str]) -> str:
    return ", ".join(terms)


def emergent_themes(
    ids: Sequence[str],
    lemma_lists: Sequence[Sequence[str]],
    *,
    max_k: int = 6,
    n_terms: int = 3,
) -> tuple[EmergentTheme, ...]:
    """Cluster comments (given as content-lemma lists) into labelled emergent themes."""
    docs = [(i, list(ls)) for i, ls in zip(ids, lemma_lists) if ls]
    if not docs:
        return ()
    if len(docs) == 1:
        cid, lemmas = docs[0]
        terms = tuple(dict.fromkeys(sorted(lemmas, key=lambda w: (-lemmas.count(w), lemmas.index(w)))))[:n_terms]
        return (EmergentTheme("emergent-1", _label(terms), terms, (cid,)),)

    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    vectorizer = TfidfVectorizer(analyzer=lambda ls: ls, min_df=1, sublinear_tf=True)
    matrix = vectorizer.fit_transform([ls for _, ls in docs])  # rows are L2-normalised
    vocab = np.array(vectorizer.get_feature_names_out())
    n = len(docs)
    assignment = np.zeros(n, dtype=int)
    best = MIN_SILHOUETTE
    for k in range(2, min(max_k, n - 1, matrix.shape[1]) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(matrix)
        sizes = np.bincount(labels, minlength=k)
        if (sizes == 0).any() or (n >= 4 and sizes.min() < 2):
            continue  # a theme of one comment among several is not a theme
        # the silhouette compares every pair of comments: on a sample beyond SILHOUETTE_SAMPLE, so
        # that many thousands of comments do not cost the square of their number
        score = silhouette_score(matrix, labels, metric="cosine",
                                 sample_size=SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None, random_state=0)
        if score > best + 1e-9:
            best, assignment = score, labels
    if n == 2 and (matrix[0].multiply(matrix[1])).sum() == 0:
        assignment = np.array([0, 1])  # two comments that share no word
    # mean term weights per theme, from the sparse matrix (a dense copy would hold comments × vocabulary)
    weights = np.vstack([np.asarray(matrix[assignment == t].mean(axis=0)).ravel() if (assignment == t).any()
                         else np.zeros(matrix.shape[1]) for t in range(assignment.max() + 1)])
    themes = []
    for topic in sorted(set(assignment), key=lambda t: (-(assignment == t).sum(), t)):
        members = [docs[i][0] for i in np.flatnonzero(assignment == topic)]
        order = np.argsort(-weights[topic], kind="stable")
        terms = tuple(str(vocab[j]) for j in order[:n_terms] if weights[topic][j] > 0)
        themes.append(EmergentTheme(f"emergent-{len(themes) + 1}", _label(terms), terms,
                                    tuple(members)))
    return tuple(themes)
