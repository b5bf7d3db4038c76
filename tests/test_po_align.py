"""bilingual.po.align: which entry of the old PO file each segment gets (moved, changed, repeated and renumbered sentences)."""
