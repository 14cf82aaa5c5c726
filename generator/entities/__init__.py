"""Stage 4, enrich: the people, organizations and places the editor lists, and their mentions.

Takes: `entities.yaml` and the archive.
Gives: `entity_file` (entity drafts read from YAML), `mentions.index_entities`
(the archive with its entities, mentions and credits).
May import: the shared top-level modules, `cache`, `sources`, `notes` and `compare`.
"""
