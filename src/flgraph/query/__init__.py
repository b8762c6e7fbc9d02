"""The query path: a query text or a saved query in, an answer out.

``errors`` (what can go wrong, at the bottom) → ``gateway`` (checks on the text) →
``service`` (deadlines, caps, lanes) → ``pool``/``sandbox``/``allocator`` (killable
worker processes) ; ``saved`` holds the saved queries' definitions.
"""
