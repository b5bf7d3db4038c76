"""bilingual.po.catalog: reading a PO file (encodings, refusals), its header contract and the atomic write-if-changed."""
