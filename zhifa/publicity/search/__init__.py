"""The search index over published decisions (公示检索): a derived table, fed by the publication
core through ``services.search_index_put`` / ``search_index_remove``, rebuildable at any time."""
