"""Emergent themes: informative comments that fit no taxonomy theme, clustered.

TF-IDF over content lemmas, then NMF with a small k chosen from the number of
comments (k = round(sqrt(n / 2)), at most 6).  Each comment goes to its strongest
component; clusters are labelled by their top terms.  Designed for 1..40 comments:
one comment is its own theme, two or three make one theme unless they share nothing.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from .results import EmergentTheme


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

    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda ls: ls, min_df=1, sublinear_tf=True)
    matrix = vectorizer.fit_transform([ls for _, ls in docs])
    vocab = np.array(vectorizer.get_feature_names_out())
    n = len(docs)
    k = max(1, min(max_k, round(math.sqrt(n / 2)), matrix.shape[1], n))
    if k == 1:
        assignment = np.zeros(n, dtype=int)
        weights = np.asarray(matrix.sum(axis=0)).ravel()[None, :]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on tiny inputs
            model = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=400)
            doc_topic = model.fit_transform(matrix)
        assignment = doc_topic.argmax(axis=1)
        weights = model.components_
    themes = []
    for topic in sorted(set(assignment), key=lambda t: (-(assignment == t).sum(), t)):
        members = [docs[i][0] for i in np.flatnonzero(assignment == topic)]
        order = np.argsort(-weights[topic], kind="stable")
        terms = tuple(str(vocab[j]) for j in order[:n_terms] if weights[topic][j] > 0)
        themes.append(EmergentTheme(f"emergent-{len(themes) + 1}", _label(terms), terms,
                                    tuple(members)))
    return tuple(themes)
