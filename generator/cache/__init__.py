"""What one build keeps for the next: content digests, stage results, the build's record.

Takes: bytes and model objects to digest, results to remember.
Gives: `inputs` (what a build is made from: the code, the dependencies'
versions, the templates), `digests` (short keys of content), `store.BuildCache`
(stage results and page keys by digest), `build_state` (what the last build
was made from).
May import: the shared top-level modules only. Every stage below uses it; it
knows nothing of them.
"""
