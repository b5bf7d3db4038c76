"""bilingual.po.merge: one entry per segment from the old catalogue, the proposals and the comments; the streamed write."""
