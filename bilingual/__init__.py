"""bilingual: Chinese trade-policy documents → reviewed English publications.

The package reads as its pipeline, one module per stage:
ingest → structure → segment → glossary → render → translate → po → check / build.
Nothing heavy (spaCy, CTranslate2, argostranslate) is imported here, so that
``bilingual --help`` starts instantly.
"""

__version__ = "0.1.0"
