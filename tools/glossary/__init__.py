"""Stage 4, the glossary: the term base, term detection, and the glossary in every edition.

``termbase`` loads and validates ``glossary/terms.yml``; ``detect`` finds terms
(and candidates for new ones) in text; ``collation`` sorts by a language's
alphabet; ``pages`` links terms in the articles and writes the glossary page.
"""
